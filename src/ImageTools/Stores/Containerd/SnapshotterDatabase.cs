using System;
using System.Collections.Generic;
using System.IO;
using ImageTools.Bolt;

namespace ImageTools.Stores.Containerd
{
    /// <summary>One snapshot as the snapshotter's own metadata.db records it (containerd core/snapshots/storage/bolt.go).</summary>
    internal sealed class SnapshotterRecord
    {
        public string Name = "";
        public ulong? Id;
        public ContainerdSnapshotKind Kind;
        public string? Parent;
        public long? Size;
        public long? Inodes;
        public LabelSet Labels = new LabelSet();
        public DateTimeOffset? CreatedAt;
        public DateTimeOffset? UpdatedAt;
    }

    /// <summary>
    /// A snapshotter's database (io.containerd.snapshotter.v1.&lt;name&gt;/metadata.db): <c>v1/snapshots/&lt;ns&gt;/&lt;seq&gt;/&lt;key&gt;/{id
    /// (uvarint), kind (1 byte), parent, createdat, updatedat, labels, inodes, size}</c>; the snapshot's files are in
    /// <c>snapshots/&lt;id&gt;</c>.
    /// </summary>
    internal sealed class SnapshotterDatabase
    {
        private static readonly byte[] SnapshotsKey = BoltBytes.Utf8("snapshots");
        private static readonly byte[] IdKey = BoltBytes.Utf8("id");
        private static readonly byte[] KindKey = BoltBytes.Utf8("kind");
        private static readonly byte[] ParentKey = BoltBytes.Utf8("parent");
        private static readonly byte[] InodesKey = BoltBytes.Utf8("inodes");

        private SnapshotterDatabase(string name, string folder, Dictionary<string, SnapshotterRecord> records)
        {
            Name = name;
            Folder = folder;
            Records = records;
        }

        public string Name { get; }
        public string Folder { get; }
        public Dictionary<string, SnapshotterRecord> Records { get; }
        public string DatabasePath => System.IO.Path.Combine(Folder, "metadata.db");
        public string SnapshotsFolder => System.IO.Path.Combine(Folder, "snapshots");

        /// <summary>The folder of a snapshot's files: snapshots/&lt;id&gt;/fs for overlayfs (and fuse-overlayfs), snapshots/&lt;id&gt; otherwise.</summary>
        public string PathOf(ulong id)
        {
            string dir = System.IO.Path.Combine(SnapshotsFolder, id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return Name == "overlayfs" || Name == "fuse-overlayfs" ? System.IO.Path.Combine(dir, "fs") : dir;
        }

        /// <summary>Reads the database of snapshotter <paramref name="name"/>, or returns null when it has none.</summary>
        /// <exception cref="ImageToolsException">MetadataCorrupt.</exception>
        public static SnapshotterDatabase? Open(ContainerdRoot root, string name, Action<ImageToolsException> onError)
        {
            string folder = root.SnapshotterPath(name);
            string path = System.IO.Path.Combine(folder, "metadata.db");
            if (!File.Exists(path)) return null;
            for (int attempt = 1; ; attempt++)
            {
                var problems = new List<ImageToolsException>();
                try
                {
                    new StoreBoundary(root.RootPath).CheckFile(path, $"{name} snapshotter database");
                    var db = BoltDatabase.Open(path);
                    var records = ReadRecords(db, path, root, problems.Add);
                    // the snapshotter committed while its records were read: they may mix two transactions
                    if (attempt < BoltDatabase.DefaultAttempts && db.HasChanged()) continue;
                    foreach (var p in problems) onError(p);
                    return new SnapshotterDatabase(name, folder, records);
                }
                catch (BoltFormatException e) when (e.MayBeTransient && attempt < BoltDatabase.DefaultAttempts)
                {
                    // a page met during the walk looks torn (a live snapshotter writing): read the file again
                    System.Threading.Thread.Sleep(BoltDatabase.DefaultRetryDelay);
                }
                catch (BoltFormatException e)
                {
                    throw new ImageToolsException(ErrorId.MetadataCorrupt,
                        $"the {name} snapshotter's database {path} cannot be read: {e.Problem} ({e.Kind}).", path, root.RootPath, e);
                }
            }
        }

        private static Dictionary<string, SnapshotterRecord> ReadRecords(BoltDatabase db, string path, ContainerdRoot root, Action<ImageToolsException> onError)
        {
            void Problem(string message) => onError(new ImageToolsException(ErrorId.MalformedContent, $"{path}: {message}.", message, root.RootPath));
            var records = new Dictionary<string, SnapshotterRecord>(StringComparer.Ordinal);
            var snapshots = db.Root.GetBucket(ContainerdMetadata.V1)?.GetBucket(SnapshotsKey);
            if (snapshots != null)
            {
                foreach (var b in snapshots.EnumerateBuckets())
                {
                    string? name = ContainerdEncoding.Name(b, Problem);
                    if (name == null) continue;
                    var kind = b.GetMemory(KindKey);
                    var r = new SnapshotterRecord
                    {
                        Name = name,
                        Id = ContainerdEncoding.Uvarint(b, IdKey, Problem),
                        Kind = kind != null && kind.Value.Length == 1 && kind.Value.Span[0] <= 3 ? (ContainerdSnapshotKind)kind.Value.Span[0] : ContainerdSnapshotKind.Unknown,
                        Parent = ContainerdEncoding.Text(b, ParentKey, Problem),
                        Size = ContainerdEncoding.Varint(b, ContainerdEncoding.Size, Problem),
                        Inodes = ContainerdEncoding.Varint(b, InodesKey, Problem),
                        Labels = ContainerdEncoding.Pairs(b, ContainerdMetadata.Labels, Problem),
                        CreatedAt = ContainerdEncoding.Time(b, ContainerdEncoding.CreatedAt, Problem),
                        UpdatedAt = ContainerdEncoding.Time(b, ContainerdEncoding.UpdatedAt, Problem),
                    };
                    records[r.Name] = r;
                }
            }
            return records;

        }

        /// <summary>The snapshotters that have a folder with a metadata.db under the root.</summary>
        public static IEnumerable<string> Installed(ContainerdRoot root)
        {
            if (!Directory.Exists(root.RootPath)) yield break;
            foreach (var dir in Directory.EnumerateDirectories(root.RootPath, ContainerdRoot.SnapshotterPrefix + "*"))
            {
                string name = System.IO.Path.GetFileName(dir).Substring(ContainerdRoot.SnapshotterPrefix.Length);
                if (name.Length > 0 && File.Exists(System.IO.Path.Combine(dir, "metadata.db"))) yield return name;
            }
        }
    }
}
