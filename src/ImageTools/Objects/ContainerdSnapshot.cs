using System;
using System.Collections.Generic;

namespace ImageTools
{
    /// <summary>The kind of a snapshot, as the snapshotter records it.</summary>
    public enum ContainerdSnapshotKind
    {
        Unknown = 0,
        View = 1,
        Active = 2,
        Committed = 3,
    }

    /// <summary>Whether a snapshot is known to containerd's metadata, to its snapshotter, and on disk.</summary>
    public enum ContainerdSnapshotState
    {
        /// <summary>Known to both meta.db and the snapshotter's metadata.db.</summary>
        Ok,
        /// <summary>In meta.db only: the snapshotter has no such snapshot (leaked record).</summary>
        MissingFromSnapshotter,
        /// <summary>In the snapshotter's metadata.db only: no namespace refers to it (leaked snapshot, its folder uses disk).</summary>
        MissingFromMetadata,
        /// <summary>A snapshots/&lt;id&gt; folder that neither database knows (leaked folder).</summary>
        OrphanDirectory,
    }

    /// <summary>A snapshot of a containerd root: meta.db's namespace record joined with the snapshotter's own record and folder.</summary>
    public sealed class ContainerdSnapshot
    {
        internal ContainerdSnapshot(string snapshotter) { Snapshotter = snapshotter; }

        public string? Namespace { get; internal set; }
        public string Snapshotter { get; }

        /// <summary>The key in the namespace (what ctr snapshots ls shows).</summary>
        public string? Key { get; internal set; }

        /// <summary>The snapshotter's key, &lt;namespace&gt;/&lt;seq&gt;/&lt;key&gt;.</summary>
        public string? Name { get; internal set; }

        /// <summary>The parent's key in the namespace.</summary>
        public string? Parent { get; internal set; }

        public string Kind => KindValue.ToString();
        internal ContainerdSnapshotKind KindValue { get; set; }

        /// <summary>The snapshotter's numeric id, the name of its snapshots/&lt;id&gt; folder.</summary>
        public ulong? Id { get; internal set; }

        /// <summary>The snapshot's files: snapshots/&lt;id&gt;/fs for overlayfs, snapshots/&lt;id&gt; for native.</summary>
        public string? Path { get; internal set; }

        public bool PathExists { get; internal set; }

        /// <summary>Bytes used, when the snapshotter recorded it (committed snapshots).</summary>
        public long? Size { get; internal set; }

        /// <summary>Inodes used, when the snapshotter recorded it.</summary>
        public long? Inodes { get; internal set; }

        public LabelSet Labels { get; internal set; } = new LabelSet();

        /// <summary>The keys of the children in the namespace.</summary>
        public ValueList Children { get; internal set; } = ValueList.Empty;

        public string? CreatedAt => CreatedAtValue.ToOutput();
        internal DateTimeOffset? CreatedAtValue { get; set; }
        public string? UpdatedAt => UpdatedAtValue.ToOutput();
        internal DateTimeOffset? UpdatedAtValue { get; set; }

        public string State => StateValue.ToString();
        internal ContainerdSnapshotState StateValue { get; set; }

        /// <summary>True unless both databases know the snapshot.</summary>
        public bool Leaked => StateValue != ContainerdSnapshotState.Ok;

        public override string ToString() => Key ?? Name ?? Path ?? "";
    }
}
