using System.Management.Automation;
using ImageTools.Stores.Containerd;

namespace ImageTools.Commands
{
    /// <summary>Lists containerd's snapshots, joining meta.db with each snapshotter's database and folders, and finds leaked ones.</summary>
    /// <remarks>
    /// For each snapshotter (overlayfs, native...), the namespace records of meta.db (v1/&lt;ns&gt;/snapshots) are joined with
    /// the snapshotter's own metadata.db (ids, kinds, parents, sizes) and its snapshots/&lt;id&gt; folders. Each snapshot
    /// has Snapshotter, Namespace, Key, Name (the snapshotter's key), Parent, Kind (View, Active, Committed), Id, Path
    /// (snapshots/&lt;id&gt;/fs for overlayfs), Size and Inodes where recorded (with -Usage, as ctr snapshots usage gives them:
    /// an active snapshot measured now), Labels and CreatedAt. State tells what is
    /// leaked: MissingFromSnapshotter (a meta.db record the snapshotter lost), MissingFromMetadata (a snapshot no
    /// namespace refers to, whose folder still uses disk), OrphanDirectory (a folder neither database knows; listed
    /// only when every namespace is read). containerd has no command for these.
    /// </remarks>
    /// <example>
    /// <code>Get-ContainerdSnapshot -Path /var/lib/containerd -Namespace k8s.io</code>
    /// <para>Lists the snapshots of k8s.io like ctr snapshots ls, with their folders.</para>
    /// </example>
    /// <example>
    /// <code>Get-ContainerdSnapshot -Path /var/lib/containerd -Namespace k8s.io -Usage | Sort-Object Size -Descending | Select-Object -First 5 Key, Kind, Size, Inodes</code>
    /// <para>The five snapshots that use most disk, sized as ctr snapshots usage sizes them.</para>
    /// </example>
    /// <example>
    /// <code>Get-ContainerdSnapshot -Path /var/lib/containerd -Leaked</code>
    /// <para>Lists leaked snapshots and folders, with the path of each.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "ContainerdSnapshot", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(ContainerdSnapshot))]
    public sealed class GetContainerdSnapshotCommand : ContainerdCmdlet
    {
        /// <summary>Which namespaces (wildcards allowed); all when omitted (and then folders no database knows are listed too).</summary>
        [Parameter]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(ContainerdNamespaceCompleter))]
        public string[]? Namespace { get; set; }

        /// <summary>Which snapshotters (wildcards allowed); all when omitted.</summary>
        [Parameter]
        [SupportsWildcards]
        public string[]? Snapshotter { get; set; }

        /// <summary>Which snapshots, by key (wildcards allowed); all when omitted.</summary>
        [Parameter(Position = 1)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(ContainerdSnapshotKeyCompleter))]
        public string[]? Key { get; set; }

        /// <summary>Size and Inodes as ctr snapshots usage gives them: an active snapshot's folder is measured (every file's metadata is read, so it takes longer); the others keep what the snapshotter recorded (0 when nothing).</summary>
        [Parameter]
        public SwitchParameter Usage { get; set; }

        /// <summary>Only the snapshots and folders that are not known to both databases.</summary>
        [Parameter]
        public SwitchParameter Leaked { get; set; }

        protected override void ProcessRecord()
        {
            ForEachRoot(metadata =>
            {
                var namespaces = Namespace == null || Namespace.Length == 0 ? null : SelectNamespaces(metadata, Namespace);
                var snapshots = new ContainerdSnapshotReader(metadata).Read(namespaces, s => MatchesAny(Snapshotter, s), Report);
                foreach (var s in snapshots)
                {
                    if (Leaked && !s.Leaked) continue;
                    if (Key != null && Key.Length > 0 && !MatchesAny(Key, s.Key)) continue;
                    if (Usage) ContainerdSnapshotReader.MeasureUsage(s);
                    WriteObject(s);
                }
            });
        }
    }
}
