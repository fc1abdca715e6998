using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using ImageTools.Bolt;

namespace ImageTools.Stores.Containerd
{
    /// <summary>
    /// Joins the namespace records of meta.db (<c>v1/&lt;ns&gt;/snapshots/&lt;snapshotter&gt;/&lt;key&gt;/{name, parent, children,
    /// labels, createdat, updatedat}</c>) with each snapshotter's database and its snapshots/&lt;id&gt; folders, and reports
    /// what only one side knows as leaked.
    /// </summary>
    internal sealed class ContainerdSnapshotReader
    {
        private static readonly byte[] SnapshotsKey = BoltBytes.Utf8("snapshots");
        private static readonly byte[] NameKey = BoltBytes.Utf8("name");
        private static readonly byte[] ParentKey = BoltBytes.Utf8("parent");
        private static readonly byte[] ChildrenKey = BoltBytes.Utf8("children");
        private readonly ContainerdMetadata _metadata;

        public ContainerdSnapshotReader(ContainerdMetadata metadata) { _metadata = metadata; }

        /// <summary>
        /// The snapshots of the namespaces given (all when null), for the snapshotters given (all when null). Folders
        /// that no database knows are included only when every namespace is read.
        /// </summary>
        public List<ContainerdSnapshot> Read(IReadOnlyList<string>? namespaces, Func<string, bool>? snapshotterFilter, Action<ImageToolsException> onError) =>
            _metadata.ReadOrReport(e => ReadAll(namespaces, snapshotterFilter, e), onError, new List<ContainerdSnapshot>());

        private List<ContainerdSnapshot> ReadAll(IReadOnlyList<string>? namespaces, Func<string, bool>? snapshotterFilter, Action<ImageToolsException> onError)
        {
            var root = _metadata.Root;
            void Problem(string message) => onError(new ImageToolsException(ErrorId.MalformedContent, $"{root.MetadataPath}: {message}.", message, root.RootPath));
            var allNamespaces = new List<string>(_metadata.NamespaceNames());
            var wanted = namespaces ?? allNamespaces;
            var wantedSet = new HashSet<string>(wanted, StringComparer.Ordinal);

            var snapshotters = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var ns in allNamespaces)
            {
                var s = _metadata.Namespace(ns)?.GetBucket(SnapshotsKey);
                if (s != null) foreach (var b in s.EnumerateBuckets()) if (ContainerdEncoding.Name(b, Problem) is string name) snapshotters.Add(name);
            }
            foreach (var name in SnapshotterDatabase.Installed(root)) snapshotters.Add(name);

            var result = new List<ContainerdSnapshot>();
            foreach (var snapshotter in snapshotters)
            {
                if (snapshotterFilter != null && !snapshotterFilter(snapshotter)) continue;
                SnapshotterDatabase? db = null;
                if (ContainerdRecordReader.IsSafeName(snapshotter))
                {
                    try { db = SnapshotterDatabase.Open(root, snapshotter, onError); }
                    catch (ImageToolsException e) { onError(e); }
                }
                var matched = new HashSet<string>(StringComparer.Ordinal);
                // meta.db's records of every namespace: all are needed to know which snapshotter records are referenced
                foreach (var ns in allNamespaces)
                {
                    var bucket = _metadata.Namespace(ns)?.GetBucket(SnapshotsKey)?.GetBucket(snapshotter);
                    if (bucket == null) continue;
                    foreach (var b in bucket.EnumerateBuckets())
                    {
                        string? backend = ContainerdEncoding.Text(b, NameKey, Problem);
                        if (backend != null) matched.Add(backend);
                        if (!wantedSet.Contains(ns)) continue;
                        string? key = ContainerdEncoding.Name(b, Problem);
                        if (key == null) continue;
                        var snap = new ContainerdSnapshot(snapshotter)
                        {
                            Namespace = ns,
                            Key = key,
                            Name = backend,
                            Parent = ContainerdEncoding.Text(b, ParentKey, Problem),
                            Labels = ContainerdEncoding.Pairs(b, ContainerdMetadata.Labels, Problem),
                            CreatedAtValue = ContainerdEncoding.Time(b, ContainerdEncoding.CreatedAt, Problem),
                            UpdatedAtValue = ContainerdEncoding.Time(b, ContainerdEncoding.UpdatedAt, Problem),
                        };
                        var children = b.GetBucket(ChildrenKey);
                        if (children != null)
                        {
                            var keys = new List<string>();
                            foreach (var p in children.EnumeratePairs()) if (ContainerdEncoding.Key(children, p, Problem) is string child) keys.Add(child);
                            snap.Children = new ValueList(keys.ToArray());
                        }
                        if (db == null) snap.StateValue = ContainerdSnapshotState.MissingFromSnapshotter;
                        else if (backend != null && db.Records.TryGetValue(backend, out var r)) Merge(snap, r, db);
                        else snap.StateValue = ContainerdSnapshotState.MissingFromSnapshotter;
                        result.Add(snap);
                    }
                }
                if (db == null) continue;
                var knownIds = new HashSet<string>(StringComparer.Ordinal);
                foreach (var r in db.Records.Values)
                {
                    if (r.Id != null) knownIds.Add(r.Id.Value.ToString(CultureInfo.InvariantCulture));
                    if (matched.Contains(r.Name)) continue;
                    SplitBackendKey(r.Name, out var ns, out var key);
                    if (ns != null && !wantedSet.Contains(ns)) continue;
                    if (ns == null && namespaces != null) continue;
                    var snap = new ContainerdSnapshot(snapshotter) { Namespace = ns, Key = key, Name = r.Name, StateValue = ContainerdSnapshotState.MissingFromMetadata };
                    Merge(snap, r, db);
                    snap.StateValue = ContainerdSnapshotState.MissingFromMetadata;
                    snap.Labels = r.Labels;
                    snap.CreatedAtValue = r.CreatedAt;
                    snap.UpdatedAtValue = r.UpdatedAt;
                    if (r.Parent != null && db.Records.ContainsKey(r.Parent)) { SplitBackendKey(r.Parent, out _, out var pk); snap.Parent = pk; }
                    result.Add(snap);
                }
                if (namespaces != null || !Directory.Exists(db.SnapshotsFolder)) continue;
                foreach (var dir in Directory.EnumerateDirectories(db.SnapshotsFolder))
                {
                    string name = Path.GetFileName(dir);
                    if (knownIds.Contains(name)) continue;
                    var snap = new ContainerdSnapshot(snapshotter) { StateValue = ContainerdSnapshotState.OrphanDirectory, Path = dir, PathExists = true };
                    if (ulong.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var id)) snap.Id = id;
                    result.Add(snap);
                }
            }
            return result;
        }

        /// <summary>
        /// Fills Size and Inodes as ctr snapshots usage gives them (the snapshotter's Usage): an active snapshot's folder
        /// measured now (continuity's fs.DiskUsage: allocated blocks and distinct inodes, the folder included), what the
        /// snapshotter recorded at commit otherwise, 0 where it recorded nothing.
        /// </summary>
        public static void MeasureUsage(ContainerdSnapshot snap)
        {
            if (snap.StateValue != ContainerdSnapshotState.Ok) return;
            if (snap.KindValue == ContainerdSnapshotKind.Active && snap.Path != null && snap.PathExists)
            {
                Docker.DiskUsage.Measure(snap.Path, out _, out long disk, out long inodes);
                snap.Size = disk;
                snap.Inodes = inodes;
                return;
            }
            snap.Size ??= 0;
            snap.Inodes ??= 0;
        }

        private static void Merge(ContainerdSnapshot snap, SnapshotterRecord r, SnapshotterDatabase db)
        {
            snap.StateValue = ContainerdSnapshotState.Ok;
            snap.KindValue = r.Kind;
            snap.Id = r.Id;
            snap.Size = r.Size;
            snap.Inodes = r.Inodes;
            if (r.Id != null)
            {
                snap.Path = db.PathOf(r.Id.Value);
                snap.PathExists = Directory.Exists(snap.Path);
            }
        }

        /// <summary>Splits a snapshotter key "&lt;namespace&gt;/&lt;seq&gt;/&lt;key&gt;" (containerd core/metadata/snapshot.go createKey).</summary>
        internal static void SplitBackendKey(string name, out string? ns, out string key)
        {
            int a = name.IndexOf('/');
            int b = a < 0 ? -1 : name.IndexOf('/', a + 1);
            if (a > 0 && b > a + 1)
            {
                ns = name.Substring(0, a);
                key = name.Substring(b + 1);
            }
            else
            {
                ns = null;
                key = name;
            }
        }
    }
}
