using System.Linq;
using System.Management.Automation;
using ImageTools.Graph;
using ImageTools.Stores.Containerd;

namespace ImageTools.Commands
{
    /// <summary>Lists containerd's image records (ctr images ls), read from the files without containerd.</summary>
    /// <remarks>
    /// Reads v1/&lt;namespace&gt;/images of io.containerd.metadata.v1.bolt/meta.db without a lock. Each record has its Name
    /// (as containerd keeps it, not normalized), the target descriptor (Digest, MediaType, Size), CreatedAt,
    /// UpdatedAt, Labels and Annotations. To walk an image's manifests and layers, use Get-Image -Path &lt;root&gt;
    /// -Namespace &lt;ns&gt; | Get-ImageManifest | Get-ImageLayer.
    /// </remarks>
    /// <example>
    /// <code>Get-ContainerdImage -Path /var/lib/containerd -Namespace k8s.io</code>
    /// <para>Lists the images of the k8s.io namespace, like ctr -n k8s.io images ls.</para>
    /// </example>
    /// <example>
    /// <code>Get-ContainerdImage -Path /var/lib/containerd -Name '*pause*'</code>
    /// <para>Finds the pause images in every namespace.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "ContainerdImage", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(ContainerdImage))]
    public sealed class GetContainerdImageCommand : ContainerdCmdlet
    {
        /// <summary>Which namespaces (wildcards allowed); all when omitted.</summary>
        [Parameter]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(ContainerdNamespaceCompleter))]
        public string[]? Namespace { get; set; }

        /// <summary>Which images, by the one name rule (about_ImageTools, NAMES): the name as containerd keeps it wins, then a digest, the normalized reference or a repository, an image ID prefix; wildcards allowed. All when omitted; a value that matches nothing writes ImageNotFound.</summary>
        [Parameter(Position = 1)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(ImageNameCompleter))]
        public string[]? Name { get; set; }

        protected override void ProcessRecord()
        {
            var unmatched = new UnmatchedNames(Name);
            ForEachRoot(metadata =>
            {
                var namespaces = SelectNamespaces(metadata, Namespace);
                var store = ContainerdStore.FromMetadata(metadata, namespaces);
                foreach (var p in store.Problems) WriteFailure(p, metadata.Root.RootPath);
                var graph = StoreGraph.Of(store);
                var candidates = store.ImageRecords.Select(image => new ImageNameRule.Candidate<ContainerdImage>(image, new[] { image.Name }, image.DigestValue,
                    () => graph.Walk(image.Target).Manifests.Select(m => m.Manifest.Config.Digest))).ToList();
                var selection = ImageNameRule.Select(candidates, Name, e => WriteFailure(e, metadata.Root.RootPath));
                unmatched.Searched(metadata.Root.RootPath, selection.Unmatched);
                foreach (var image in selection.Selected.Select(s => s.Item).Distinct()) WriteObject(image);
            });
            WriteUnmatched(unmatched);
        }
    }
}
