using System.Collections.Generic;
using System.Management.Automation;
using ImageTools.Stores.Containerd;

namespace ImageTools.Commands
{
    /// <summary>Lists containerd's container records (ctr containers ls) with their task's rootfs, read from the files without containerd.</summary>
    /// <remarks>
    /// Reads v1/&lt;namespace&gt;/containers of io.containerd.metadata.v1.bolt/meta.db without a lock. Each container has its
    /// Id, Image, Snapshotter, SnapshotKey, Runtime, Labels, CreatedAt, the OCI spec JSON, the folder of its snapshot
    /// (SnapshotPath), and, when the task's folder exists under the state directory
    /// (&lt;state&gt;/io.containerd.runtime.v2.task/&lt;namespace&gt;/&lt;id&gt;), TaskPath and RootfsPath.
    /// </remarks>
    /// <example>
    /// <code>Get-ContainerdContainer -Path /var/lib/containerd -Namespace k8s.io</code>
    /// <para>Lists the containers of k8s.io with their images and, for running ones, the rootfs under /run/containerd.</para>
    /// </example>
    /// <example>
    /// <code>Get-ContainerdContainer -Path ./root -StatePath ./state | Where-Object RootfsPath</code>
    /// <para>Lists the containers that have a task, with a private state directory.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "ContainerdContainer", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(ContainerdContainer))]
    public sealed class GetContainerdContainerCommand : ContainerdCmdlet
    {
        /// <summary>Which namespaces (wildcards allowed); all when omitted.</summary>
        [Parameter]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(ContainerdNamespaceCompleter))]
        public string[]? Namespace { get; set; }

        /// <summary>Which containers, by id (wildcards allowed); all when omitted.</summary>
        [Parameter(Position = 1)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(ContainerdContainerIdCompleter))]
        public string[]? Id { get; set; }

        /// <summary>containerd's state directory, where tasks keep their rootfs. Defaults to /run/containerd.</summary>
        [Parameter]
        public string StatePath { get; set; } = ContainerdRoot.DefaultStatePath;

        protected override void ProcessRecord()
        {
            string state = SessionState.Path.GetUnresolvedProviderPathFromPSPath(StatePath);
            ForEachRoot(metadata =>
            {
                var namespaces = SelectNamespaces(metadata, Namespace);
                var reader = new ContainerdRecordReader(metadata);
                var snapshots = new Dictionary<(string, string, string), ContainerdSnapshot>();
                bool snapshotsRead = false;
                foreach (var ns in namespaces)
                {
                    foreach (var c in reader.Containers(ns, state, Report))
                    {
                        if (!MatchesAny(Id, c.Id)) continue;
                        if (c.Snapshotter != null && c.SnapshotKey != null)
                        {
                            if (!snapshotsRead)
                            {
                                // a snapshotter database that cannot be read leaves SnapshotPath unknown: said, not hidden
                                foreach (var s in new ContainerdSnapshotReader(metadata).Read(namespaces, null, Report))
                                    if (s.Namespace != null && s.Key != null && s.StateValue == ContainerdSnapshotState.Ok)
                                        snapshots[(s.Namespace, s.Snapshotter, s.Key)] = s;
                                snapshotsRead = true;
                            }
                            if (snapshots.TryGetValue((ns, c.Snapshotter, c.SnapshotKey), out var snap)) c.SnapshotPath = snap.Path;
                        }
                        WriteObject(c);
                    }
                }
            });
        }
    }
}
