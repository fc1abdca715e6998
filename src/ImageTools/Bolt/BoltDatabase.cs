using System;
using System.Collections.Generic;
using System.Threading;

namespace ImageTools.Bolt
{
    /// <summary>
    /// A read-only, in-memory view of a bbolt database file (etcd-io/bbolt, the store of containerd's meta.db and of
    /// several Docker databases). <see cref="Open(string)"/> reads the whole file once, without a lock, into one
    /// array and checks the meta pages and the root page; buckets and pages are decoded only when they are reached
    /// (see <see cref="BoltBucket"/>), and nothing touches the file afterwards. <see cref="Check"/> walks everything.
    /// </summary>
    /// <remarks>
    /// A live writer may commit while the file is read, and pages that the chosen meta page still refers to can
    /// then be reused. Such a torn read shows up as an inconsistent page (both metas invalid, a page id out of range,
    /// wrong page flags, a cycle...). Open reads the file again a few times while the metas or the root page look
    /// torn; a page found inconsistent later, during a walk, raises a <see cref="BoltFormatException"/> whose
    /// <see cref="BoltFormatException.MayBeTransient"/> tells the caller that opening the file again may help.
    /// </remarks>
    public sealed class BoltDatabase
    {
        /// <summary>How many times <see cref="Open(string)"/> reads the file before it reports a damaged page.</summary>
        public const int DefaultAttempts = 3;

        /// <summary>The pause between two reads.</summary>
        public static readonly TimeSpan DefaultRetryDelay = TimeSpan.FromMilliseconds(50);

        private readonly BoltTree _tree;
        private BoltDatabaseStats? _stats;

        private BoltDatabase(string sourceName, long length, BoltMeta meta, BoltMeta meta0, BoltMeta meta1,
            BoltTree tree, BoltBucket root, int attempts)
        {
            SourceName = sourceName;
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

        /// <summary>The number of bytes read.</summary>
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
                byte[] data = BoltFileReader.ReadAll(path);
                try
                {
                    return Parse(data, path, attempt);
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
            return Parse((byte[])data.Clone(), sourceName ?? "(bytes)", 1);
        }

        /// <summary>
        /// Walks every bucket and page reachable from the root, checking each (a page may be reached only once in the
        /// whole walk, which also catches pages shared by two buckets), and returns what it met.
        /// </summary>
        /// <exception cref="BoltFormatException">A damaged page.</exception>
        public BoltDatabaseStats Check()
        {
            var stats = new BoltDatabaseStats();
            var visited = new HashSet<ulong>();
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

        private static BoltDatabase Parse(byte[] data, string source, int attempt)
        {
            var (meta, meta0, meta1) = BoltMetaSelector.Select(data, source);
            var tree = new BoltTree(data, source, meta);
            var root = new BoltBucket(tree, null, ReadOnlyMemory<byte>.Empty, meta.RootSequence, meta.RootPageId, 0, 0, null);
            tree.CheckRootPage(root);
            return new BoltDatabase(source, data.Length, meta, meta0, meta1, tree, root, attempt);
        }

        public override string ToString() => $"{SourceName}: bbolt, page size {PageSize}, txid {TxId}, {FileLength} bytes";
    }
}
