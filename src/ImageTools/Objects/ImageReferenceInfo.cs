namespace ImageTools
{
    /// <summary>Where an image reference was found: a container of a Kubernetes pod template, or a Compose service.</summary>
    public enum ReferenceContainerType
    {
        /// <summary>An entry of a pod spec's <c>containers</c>.</summary>
        Container,
        /// <summary>An entry of a pod spec's <c>initContainers</c>.</summary>
        InitContainer,
        /// <summary>An entry of a pod spec's <c>ephemeralContainers</c>.</summary>
        EphemeralContainer,
        /// <summary>A Compose file's <c>services.&lt;name&gt;.image</c>.</summary>
        Service,
    }

    /// <summary>
    /// One image reference found in a Kubernetes manifest, Helm-rendered output or Compose file, as
    /// Get-ImageReference returns it. <see cref="Reference"/> binds to Save-Image's -Name through the pipeline.
    /// </summary>
    public sealed class ImageReferenceInfo
    {
        /// <summary>The reference as written in the file, e.g. <c>nginx:1.25</c>.</summary>
        public string Reference { get; internal set; } = "";

        /// <summary>
        /// The full, normalized form, e.g. <c>docker.io/library/nginx:1.25</c>; a reference with neither tag nor
        /// digest gets <c>:latest</c>, as the container runtime would pull it. Null when the reference is not valid.
        /// </summary>
        public string? NormalizedReference { get; internal set; }

        /// <summary>The full path of the file the reference is in.</summary>
        public string File { get; internal set; } = "";

        /// <summary>The 1-based line of the image value in <see cref="File"/>.</summary>
        public int Line { get; internal set; }

        /// <summary>The 1-based column of the image value on <see cref="Line"/>.</summary>
        public int Column { get; internal set; }

        /// <summary>The Kubernetes kind (Deployment, Pod, CronJob, ...) of the object, or <c>Compose</c>.</summary>
        public string Kind { get; internal set; } = "";

        /// <summary>The object's metadata.name, or the Compose service name.</summary>
        public string? ObjectName { get; internal set; }

        /// <summary>The object's metadata.namespace, if it has one (never for Compose).</summary>
        public string? Namespace { get; internal set; }

        /// <summary>The container's name, or for Compose the service's container_name if set, else the service name.</summary>
        public string? Container { get; internal set; }

        /// <summary>Which list the container is in, or <c>Service</c> for Compose.</summary>
        public string ContainerType => ContainerTypeValue.ToString();
        internal ReferenceContainerType ContainerTypeValue { get; set; }

        /// <summary>The template Helm rendered the document from (its <c># Source:</c> comment), if any.</summary>
        public string? Source { get; internal set; }

        public override string ToString() => Reference;
    }
}
