using System.Management.Automation;
using ImageTools.Stores.Containerd;

namespace ImageTools.Commands
{
    /// <summary>Lists CRI pod sandboxes from containerd's files: sandbox containers, sandbox records and sandbox folders.</summary>
    /// <remarks>
    /// A sandbox is listed when the metadata has a sandbox (pause) container for it (label io.cri-containerd.kind=sandbox)
    /// or a record in the sandboxes bucket (containerd 1.7+), or when a folder exists for it under
    /// &lt;root&gt;/io.containerd.grpc.v1.cri/sandboxes or &lt;state&gt;/io.containerd.grpc.v1.cri/sandboxes (hostname, hosts,
    /// resolv.conf, shm). A folder the metadata does not know is Leaked (listed only when every namespace is read).
    /// </remarks>
    /// <example>
    /// <code>Get-ContainerdSandbox -Path /var/lib/containerd -Namespace k8s.io</code>
    /// <para>Lists the pod sandboxes of Kubernetes with their folders.</para>
    /// </example>
    /// <example>
    /// <code>Get-ContainerdSandbox -Path /var/lib/containerd | Where-Object Leaked</code>
    /// <para>Finds sandbox folders left behind.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "ContainerdSandbox", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(ContainerdSandbox))]
    public sealed class GetContainerdSandboxCommand : ContainerdCmdlet
    {
        /// <summary>Which namespaces (wildcards allowed); all when omitted.</summary>
        [Parameter]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(ContainerdNamespaceCompleter))]
        public string[]? Namespace { get; set; }

        /// <summary>containerd's state directory. Defaults to /run/containerd.</summary>
        [Parameter]
        public string StatePath { get; set; } = ContainerdRoot.DefaultStatePath;

        protected override void ProcessRecord()
        {
            string state = SessionState.Path.GetUnresolvedProviderPathFromPSPath(StatePath);
            ForEachRoot(metadata =>
            {
                var namespaces = Namespace == null || Namespace.Length == 0 ? null : SelectNamespaces(metadata, Namespace);
                foreach (var s in new ContainerdSandboxReader(metadata).Read(namespaces, state, Report)) WriteObject(s);
            });
        }
    }
}
