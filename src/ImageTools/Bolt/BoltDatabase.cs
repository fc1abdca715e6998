using System;
using System.Collections.Generic;
using System.Threading;

namespace ImageTools.Bolt
{
    /// <summary>
    /// A read-only, in-memory view of a bbolt database file (etcd-io/bbolt, the store of containerd's meta.db and of
    /// several Docker databases). <see cref="Open(string)"/> brings the whole file into memory once, without a lock
    /// (mapped read-only on Linux, see <see cref="BoltMappedFile"/>; read into one array elsewhere) and checks the
    /// meta pages and the root page; buckets and pages are decoded only when they are reached (see
    /// <see cref="BoltBucket"/>). <see cref="Check"/> walks everything.
    /// </summary>
    /// <remarks>
    /// A live writer may commit while the file is read, and pages that the chosen meta page still refers to can
    /// then be reused. Such a torn read shows up as an inconsistent page (both metas invalid, a page id out of range,
    /// wrong page flags, a cycle...). Open reads the file again a few times while the metas or the root page look
    /// torn; a page found inconsistent later, during a walk, raises a <see cref="BoltFormatException"/> whose
    /// <see cref="BoltFormatException.MayBeTransient"/> tells the caller that opening the file again may help.
    /// A torn read can also look consistent, so a reader asks <see cref="HasChanged"/> after a walk: a writer
    /// reuses a page the chosen meta page refers to only from the second commit after it on, so while the newest
    /// meta page is still the chosen one, everything read belonged to that one transaction.
    /// </remarks>
    public sealed class BoltDatabase
    {
        /// <summary>How many times <see cref="Open(string)"/> reads the file before it reports a damaged page.</summary>
        public const int DefaultAttempts = 3;

        /// <summary>The pause between two reads.</summary>
        public static readonly TimeSpan DefaultRetryDelay = TimeSpan.FromMilliseconds(50);

        private readonly BoltTree _tree;
        private readonly string? _path;
        private readonly BoltMappedFile? _mapping;
        private BoltDatabaseStats? _stats;

        private BoltDatabase(string sourceName, string? path, BoltMappedFile? mapping, long length, BoltMeta meta, BoltMeta meta0, BoltMeta meta1,
            BoltTree tree, BoltBucket root, int attempts)
        {
            SourceName = sourceName;
            _path = path;
            _mapping = mapping;
            FileLength = length;
            Meta = meta;
            Meta0 = meta0;
            Meta1 = meta1;
            _tree = tree;
            Root = root;
            Attempts = attempts;
        }

        /// <summary>The path given to <see cref="Open(string)"/> or the name given to <see cref="FromBytes"/>.</summary>
        public string SourceName { get; }

        /// <summary>The number of bytes of the file (mapped or read).</summary>
        public long FileLength { get; }

        /// <summary>The meta page the database was read from (the valid one with the highest txid).</summary>
        public BoltMeta Meta { get; }

        /// <summary>Meta page 0 as found (possibly invalid, see <see cref="BoltMeta.Problem"/>).</summary>
        public BoltMeta Meta0 { get; }

        /// <summary>Meta page 1 as found (possibly invalid).</summary>
        public BoltMeta Meta1 { get; }

        public int PageSize => (int)Meta.PageSize;
        public ulong TxId => Meta.TxId;

        /// <summary>The root bucket: its nested buckets are the database's top-level buckets.</summary>
        public BoltBucket Root { get; }

        /// <summary>Counts of what a walk of the whole database meets (the walk of <see cref="Check"/>, done on first use).</summary>
        /// <exception cref="BoltFormatException">The walk reached a damaged page.</exception>
        public BoltDatabaseStats Stats => _stats ??= Check();

        /// <summary>How many reads of the file Open needed (1 unless a torn read was retried).</summary>
        public int Attempts { get; }

        /// <summary>Reads the database at <paramref name="path"/> and checks its meta pages and root page.</summary>
        /// <exception cref="BoltFormatException">The file is not a bbolt file or is damaged.</exception>
        public static BoltDatabase Open(string path) => Open(path, DefaultAttempts, DefaultRetryDelay);

        /// <summary>Reads the database, reading the file up to <paramref name="attempts"/> times while it looks torn.</summary>
        public static BoltDatabase Open(string path, int attempts, TimeSpan retryDelay)
        {
            if (path == null) throw new ArgumentNullException(nameof(path));
            if (attempts < 1) throw new ArgumentOutOfRangeException(nameof(attempts));
            for (int attempt = 1; ; attempt++)
            {
                var data = BoltFileReader.Load(path, out var mapping);
                try
                {
                    return Parse(data, mapping, path, path, attempt);
                }
                catch (BoltFormatException e) when (e.MayBeTransient && attempt < attempts)
                {
                    Thread.Sleep(retryDelay);
                }
            }
        }

        /// <summary>Reads a database from a copy of <paramref name="data"/>; <paramref name="sourceName"/> names it in messages.</summary>
        /// <exception cref="BoltFormatException">The bytes are not a bbolt database or its metas or root page are damaged.</exception>
        public static BoltDatabase FromBytes(byte[] data, string sourceName)
        {
            if (data == null) throw new ArgumentNullException(nameof(data));
            return Parse((byte[])data.Clone(), null, sourceName ?? "(bytes)", null, 1);
        }

        /// <summary>
        /// Walks every bucket and page reachable from the root, checking each (a page may be reached only once in the
        /// whole walk, which also catches pages shared by two buckets), and returns what it met.
        /// </summary>
        /// <exception cref="BoltFormatException">A damaged page.</exception>
        public BoltDatabaseStats Check()
        {
            var stats = new BoltDatabaseStats();
            var visited = new BoltPageSet();
            var stack = new Stack<BoltBucket>();
            stack.Push(Root);
            stats.Buckets = 1;
            while (stack.Count > 0)
            {
                var bucket = stack.Pop();
                foreach (var e in _tree.Walk(bucket, visited, stats))
                {
                    if (!e.IsBucket)
                    {
                        stats.Pairs++;
                        continue;
                    }
                    var child = _tree.OpenChild(bucket, e);
                    stats.Buckets++;
                    if (child.IsInline) stats.InlineBuckets++;
                    stack.Push(child);
                }
            }
            _stats = stats;
            return stats;
        }

        /// <summary>
        /// True when the file's newest valid meta page is no longer the one this database was read from: a writer
        /// committed since, and what was read after that may mix two transactions (read it again). Always false for
        /// a database made <see cref="FromBytes"/>. A file that can no longer be read counts as changed.
        /// </summary>
        public bool HasChanged()
        {
            if (_path == null) return false;
            try
            {
                ReadOnlySpan<byte> metas = _mapping != null ? _mapping.Memory.Span : BoltFileReader.ReadPrefix(_path, 2 * PageSize);
                ulong newest = Meta.TxId;
                for (int i = 0; i < 2; i++)
                {
                    var m = BoltMeta.Read(metas, (long)i * PageSize, i);
                    if (m.IsValid && m.TxId > newest) newest = m.TxId;
                }
                GC.KeepAlive(_mapping);
                return newest != Meta.TxId;
            }
            catch (System.IO.IOException) { return true; }
            catch (UnauthorizedAccessException) { return true; }
        }

        private static BoltDatabase Parse(ReadOnlyMemory<byte> data, BoltMappedFile? mapping, string source, string? path, int attempt)
        {
            var (meta, meta0, meta1) = BoltMetaSelector.Select(data, source);
            var tree = new BoltTree(data, mapping, source, meta);
            var root = new BoltBucket(tree, null, ReadOnlyMemory<byte>.Empty, meta.RootSequence, meta.RootPageId, 0, 0, null);
            tree.CheckRootPage(root);
            return new BoltDatabase(source, path, mapping, data.Length, meta, meta0, meta1, tree, root, attempt);
        }

        public override string ToString() => $"{SourceName}: bbolt, page size {PageSize}, txid {TxId}, {FileLength} bytes";
    }
}
