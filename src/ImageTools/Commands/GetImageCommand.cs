using System.Management.Automation;
using ImageTools.Stores;
using ImageTools.Stores.Containerd;

namespace ImageTools.Commands
{
    /// <summary>Lists the images in an image store: one object per name, and one per image kept without a name.</summary>
    /// <remarks>
    /// Get-Image recognizes what the path is without being told: an OCI image layout folder, an oci-archive tar,
    /// a docker save tar of any generation (legacy, Docker 25+, containerd's ctr export, skopeo's docker-archive),
    /// a skopeo dir: folder, a registry's storage directory (docker/registry/v2; names are repository:tag), a Docker
    /// data root (/var/lib/docker), or a containerd root (/var/lib/containerd, read without containerd; -Namespace
    /// picks namespaces, and each image then carries a Namespace property).
    /// Archives are read in place: nothing is extracted and nothing is written.
    /// Each image carries the store it came from, so Get-ImageManifest, Get-ImageConfig, Get-ImageLayer and
    /// Test-ImageBlob can take it from the pipeline. Digest is the root descriptor's digest, the one a registry
    /// reports for the image; ImageIds are the config digests of its platform manifests (docker's image ID).
    /// </remarks>
    /// <example>
    /// <code>Get-Image -Path ./images.tar</code>
    /// <para>Lists every image in a docker save archive, with names, digests, platforms and sizes.</para>
    /// </example>
    /// <example>
    /// <code>Get-Image -Path ./layout -Name 'docker.io/library/base:1.0'</code>
    /// <para>Finds base:1.0 in an OCI layout; the short and the fully qualified name are the same image.</para>
    /// </example>
    /// <example>
    /// <code>Get-Image -Path /var/lib/docker-registry -IncludeUntagged</code>
    /// <para>Lists every repository:tag of a registry's storage, and the revisions no tag points at as repository@digest.</para>
    /// </example>
    /// <example>
    /// <code>Get-Image -Path ./app.tar | Get-ImageManifest | Get-ImageLayer | Where-Object Size -gt 100MB</code>
    /// <para>Lists the layers larger than 100 MB of every image in an archive.</para>
    /// </example>
    /// <example>
    /// <code>Get-Image -Path /var/lib/containerd -Namespace k8s.io | Get-ImageManifest | Get-ImageLayer | Test-ImageBlob</code>
    /// <para>Verifies every layer of the Kubernetes images in containerd's content store.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "Image", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(Image))]
    public sealed class GetImageCommand : ImageSourceCmdlet
    {
        /// <summary>For a containerd root: which namespaces (wildcards allowed); all when omitted. Ignored for other stores.</summary>
        [Parameter(ParameterSetName = PathSet)]
        [Parameter(ParameterSetName = LiteralPathSet)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(ContainerdNamespaceCompleter))]
        public string[]? Namespace { get; set; }

        /// <summary>Registry storage only: also list the manifest revisions no tag points at, named repository@sha256:hex (children of a tagged index are not untagged).</summary>
        [Parameter]
        public SwitchParameter IncludeUntagged { get; set; }

        internal override bool IncludeUntaggedImages => IncludeUntagged;

        protected override void ProcessRecord()
        {
            foreach (var image in ImagesFromPath())
            {
                if (image.Store is ContainerdStore containerd)
                {
                    var pso = PSObject.AsPSObject(image);
                    pso.Properties.Add(new PSNoteProperty("Namespace", containerd.NamespaceOf(image.Descriptor)));
                    WriteObject(pso);
                }
                else WriteObject(image);
            }
        }

        internal override IImageStore? NarrowStore(IImageStore store)
        {
            if (!(store is ContainerdStore containerd) || Namespace == null || Namespace.Length == 0) return store;
            var unmatched = new System.Collections.Generic.List<string>();
            var selected = containerd.Metadata.SelectNamespaces(Namespace, ContainerdCmdlet.Matches, unmatched);
            foreach (var p in unmatched)
                WriteError(ErrorRecords.Create(ErrorId.NamespaceNotFound, $"No namespace of the containerd root {containerd.Location} matches '{p}'.", p));
            return containerd.ForNamespaces(selected);
        }
    }
}
