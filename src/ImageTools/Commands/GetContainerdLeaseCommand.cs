using System.Management.Automation;
using ImageTools.Stores.Containerd;

namespace ImageTools.Commands
{
    /// <summary>Lists containerd's leases (ctr leases ls) and what they hold, read from the files without containerd.</summary>
    /// <remarks>
    /// Reads v1/&lt;namespace&gt;/leases of io.containerd.metadata.v1.bolt/meta.db without a lock. Each lease has its Id,
    /// CreatedAt, Labels, ExpiresAt (containerd.io/gc.expire) and the content, snapshots and ingests it keeps from the
    /// garbage collector.
    /// </remarks>
    /// <example>
    /// <code>Get-ContainerdLease -Path /var/lib/containerd -Namespace k8s.io</code>
    /// <para>Lists the leases of k8s.io, like ctr -n k8s.io leases ls.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "ContainerdLease", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(ContainerdLease))]
    public sealed class GetContainerdLeaseCommand : ContainerdCmdlet
    {
        /// <summary>Which namespaces (wildcards allowed); all when omitted.</summary>
        [Parameter]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(ContainerdNamespaceCompleter))]
        public string[]? Namespace { get; set; }

        /// <summary>Which leases, by id (wildcards allowed); all when omitted.</summary>
        [Parameter(Position = 1)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(ContainerdLeaseIdCompleter))]
        public string[]? Id { get; set; }

        protected override void ProcessRecord()
        {
            ForEachRoot(metadata =>
            {
                var reader = new ContainerdRecordReader(metadata);
                foreach (var ns in SelectNamespaces(metadata, Namespace))
                    foreach (var lease in reader.Leases(ns, Report))
                        if (MatchesAny(Id, lease.Id)) WriteObject(lease);
            });
        }
    }
}
