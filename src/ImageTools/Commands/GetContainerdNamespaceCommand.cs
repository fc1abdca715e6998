using System.Management.Automation;
using ImageTools.Stores.Containerd;

namespace ImageTools.Commands
{
    /// <summary>Lists the namespaces of a containerd root, read from its files without containerd.</summary>
    /// <remarks>
    /// Reads io.containerd.metadata.v1.bolt/meta.db without a lock, so containerd may be running or not; nothing is
    /// written. Each namespace comes with its labels and how many images, content records, containers, snapshots
    /// and leases it holds, like ctr namespaces ls.
    /// </remarks>
    /// <example>
    /// <code>Get-ContainerdNamespace -Path /var/lib/containerd</code>
    /// <para>Lists the namespaces (k8s.io, default, moby...) with their labels and record counts.</para>
    /// </example>
    /// <example>
    /// <code>Get-ContainerdNamespace -Path /var/lib/docker</code>
    /// <para>Reads the containerd that Docker runs itself (containerd/daemon under the data-root; namespace moby).</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "ContainerdNamespace", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(ContainerdNamespace))]
    public sealed class GetContainerdNamespaceCommand : ContainerdCmdlet
    {
        /// <summary>Which namespaces (wildcards allowed); all when omitted.</summary>
        [Parameter(Position = 1)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(ContainerdNamespaceCompleter))]
        public string[]? Name { get; set; }

        protected override void ProcessRecord()
        {
            ForEachRoot(metadata =>
            {
                var reader = new ContainerdRecordReader(metadata);
                foreach (var ns in SelectNamespaces(metadata, Name)) WriteObject(reader.Namespace(ns, Report));
            });
        }
    }
}
