namespace ImageTools.Oci
{
    /// <summary>Annotation keys the module reads and writes.</summary>
    public static class AnnotationKeys
    {
        /// <summary>OCI: the reference (commonly the tag) of a descriptor in index.json.</summary>
        public const string RefName = "org.opencontainers.image.ref.name";
        /// <summary>containerd and Docker 25+: the full image name of a descriptor in index.json.</summary>
        public const string ContainerdImageName = "io.containerd.image.name";
        public const string Created = "org.opencontainers.image.created";
    }
}
