using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.CompilerServices;
using System.Threading;
using ImageTools.Bolt;

namespace ImageTools.Stores.Containerd
{
    /// <summary>
    /// containerd's metadata database (io.containerd.metadata.v1.bolt/meta.db) read without a lock through
    /// <see cref="BoltDatabase.Open(string)"/>: <c>v1/&lt;namespace&gt;/{labels, images, content/blob, containers,
    /// snapshots, leases, sandboxes}</c>. A live containerd is not disturbed (no flock, no write). The file is brought
    /// into memory once and its pages are decoded as the readers reach them; a reader that meets an inconsistent page
    /// (a torn read of a file being written), or that finishes after containerd committed, reads the file again a
    /// bounded number of times (<see cref="Read{T}"/>).
    /// </summary>
    public sealed class ContainerdMetadata
    {
        internal static readonly byte[] V1 = BoltBytes.Utf8("v1");
        internal static readonly byte[] Version = BoltBytes.Utf8("version");
        internal static readonly byte[] Labels = BoltBytes.Utf8("labels");

        private BoltDatabase _database;
        private BoltBucket? _v1;
        private bool _v1Found;
        private List<string>? _namespaces;
        private List<ImageToolsException> _namespaceProblems = new List<ImageToolsException>();

        private ContainerdMetadata(ContainerdRoot root, BoltDatabase db)
        {
            Root = root;
            _database = db;
            Read(_ => V1Bucket, _ => { });
        }

        public ContainerdRoot Root { get; }

        /// <summary>The database as last read (a reader that met a torn page reads the file again).</summary>
        public BoltDatabase Database => _database;

        /// <summary>The v1 bucket (null in an empty database that containerd never initialized).</summary>
        internal BoltBucket? V1Bucket
        {
            get
            {
                if (!_v1Found)
                {
                    _v1 = _database.Root.GetBucket(V1);
                    _v1Found = true;
                }
                return _v1;
            }
        }

        /// <summary>The schema version containerd recorded (v1/version), or null.</summary>
        public long? SchemaVersion => Read(_ => V1Bucket == null ? null : ContainerdEncoding.Varint(V1Bucket, Version, _ => { }), _ => { });

        /// <summary>Opens meta.db of <paramref name="root"/>.</summary>
        /// <exception cref="ImageToolsException">MetadataCorrupt (a damaged database), FileNotFound, StoreUnreadable.</exception>
        public static ContainerdMetadata Open(ContainerdRoot root) => new ContainerdMetadata(root, OpenDatabase(root));

        private static BoltDatabase OpenDatabase(ContainerdRoot root)
        {
            string path = root.MetadataPath;
            try
            {
                new StoreBoundary(root.RootPath).CheckFile(path, "metadata database");
                return BoltDatabase.Open(path);
            }
            catch (BoltFormatException e)
            {
                throw Corrupt(root, e);
            }
            catch (FileNotFoundException e)
            {
                throw new ImageToolsException(ErrorId.FileNotFound, $"containerd's metadata database {path} does not exist.", path, root.RootPath, e);
            }
        }

        private static ImageToolsException Corrupt(ContainerdRoot root, BoltFormatException e) =>
            new ImageToolsException(ErrorId.MetadataCorrupt,
                $"containerd's metadata database {root.MetadataPath} cannot be read: {e.Problem} ({e.Kind}).", root.MetadataPath, root.RootPath, e);

        /// <summary>
        /// Runs <paramref name="read"/> over the database; when it meets a page that may be torn (a live writer), or
        /// when containerd committed while it ran (<see cref="BoltDatabase.HasChanged"/>: the pages read may then mix
        /// two transactions), the file is read again and <paramref name="read"/> runs again, up to
        /// <see cref="BoltDatabase.DefaultAttempts"/> times; the last run that completes is kept. The problems
        /// <paramref name="read"/> reports go to <paramref name="onError"/> only from the run that is kept, so none is
        /// reported twice.
        /// </summary>
        /// <exception cref="ImageToolsException">MetadataCorrupt: the damage stayed.</exception>
        internal T Read<T>(Func<Action<ImageToolsException>, T> read, Action<ImageToolsException> onError)
        {
            for (int attempt = 1; ; attempt++)
            {
                var problems = new List<ImageToolsException>();
                try
                {
                    var result = read(problems.Add);
                    if (attempt < BoltDatabase.DefaultAttempts && _database.HasChanged())
                    {
                        Reopen();
                        continue;
                    }
                    foreach (var p in problems) onError(p);
                    return result;
                }
                catch (BoltFormatException e) when (e.MayBeTransient && attempt < BoltDatabase.DefaultAttempts)
                {
                    Thread.Sleep(BoltDatabase.DefaultRetryDelay);
                    Reopen();
                }
                catch (BoltFormatException e)
                {
                    foreach (var p in problems) onError(p);
                    throw Corrupt(Root, e);
                }
            }
        }

        /// <summary>
        /// Streams what <paramref name="decode"/> makes of each entry of the bucket <paramref name="bucket"/> finds, in
        /// key order, a batch at a time: a batch is handed out only once <see cref="BoltDatabase.HasChanged"/> says no
        /// commit happened while it was read (so it belongs to one transaction, as with <see cref="Read{T}"/>). When
        /// containerd committed, or a page looks torn, the file is read again (up to
        /// <see cref="BoltDatabase.DefaultAttempts"/> times in all), <paramref name="prepare"/> runs again on it, and the
        /// walk resumes after the last entry handed out, so nothing is handed out twice. The problems
        /// <paramref name="decode"/> reports go to <paramref name="onError"/> with their entry; damage that stays is
        /// reported there too (MetadataCorrupt) and ends the stream.
        /// </summary>
        internal IEnumerable<T> ReadStreamed<T>(Func<BoltBucket?> bucket, Action prepare,
            Func<BoltEntry, Action<ImageToolsException>, T?> decode, Action<ImageToolsException> onError) where T : class
        {
            var walk = new StreamedWalk<T>(this, bucket, prepare, decode);
            while (true)
            {
                bool done = walk.Next(out var failure);
                foreach (var (item, problems) in walk.Batch)
                {
                    if (problems != null) foreach (var p in problems) onError(p);
                    if (item != null) yield return item;
                }
                if (failure != null) { onError(failure); yield break; }
                if (done) yield break;
            }
        }

        /// <summary>The state of one <see cref="ReadStreamed{T}"/>: where the walk is, and what the next batch holds.</summary>
        private sealed class StreamedWalk<T> where T : class
        {
            private const int BatchSize = 256;
            private readonly ContainerdMetadata _metadata;
            private readonly Func<BoltBucket?> _bucket;
            private readonly Action _prepare;
            private readonly Func<BoltEntry, Action<ImageToolsException>, T?> _decode;
            private IEnumerator<BoltEntry>? _entries;
            private byte[]? _lastHandedOut;
            private int _attempt = 1;
            // the problems of the entry being decoded, collected by one delegate made once for the walk
            private List<ImageToolsException>? _problems;
            private readonly Action<ImageToolsException> _collect;

            internal StreamedWalk(ContainerdMetadata metadata, Func<BoltBucket?> bucket, Action prepare, Func<BoltEntry, Action<ImageToolsException>, T?> decode)
            {
                _metadata = metadata;
                _bucket = bucket;
                _prepare = prepare;
                _decode = decode;
                _collect = p => (_problems ??= new List<ImageToolsException>()).Add(p);
            }

            internal List<(T? Item, List<ImageToolsException>? Problems)> Batch { get; } = new List<(T?, List<ImageToolsException>?)>();

            /// <summary>Fills <see cref="Batch"/>; true when the walk reached the end. <paramref name="failure"/> is set when damage stayed.</summary>
            internal bool Next(out ImageToolsException? failure)
            {
                failure = null;
                while (true)
                {
                    Batch.Clear();
                    byte[]? last = _lastHandedOut;
                    try
                    {
                        if (_entries == null) Start();
                        bool done = Fill(ref last);
                        if (_attempt < BoltDatabase.DefaultAttempts && _metadata._database.HasChanged())
                        {
                            Restart(pause: false);
                            continue;
                        }
                        _lastHandedOut = last;
                        return done;
                    }
                    catch (BoltFormatException e) when (e.MayBeTransient && _attempt < BoltDatabase.DefaultAttempts)
                    {
                        Restart(pause: true);
                    }
                    catch (BoltFormatException e)
                    {
                        failure = Corrupt(_metadata.Root, e);
                        return true;
                    }
                }
            }

            private void Start()
            {
                _prepare();
                _entries = (_bucket()?.Entries() ?? Array.Empty<BoltEntry>()).GetEnumerator();
            }

            private void Restart(bool pause)
            {
                if (pause) Thread.Sleep(BoltDatabase.DefaultRetryDelay);
                _attempt++;
                _entries = null;
                Batch.Clear();
                _metadata.Reopen();
            }

            [MethodImpl(HotPath.Optimized)]
            private bool Fill(ref byte[]? last)
            {
                ReadOnlyMemory<byte>? lastKey = null;
                bool done = false;
                for (int decoded = 0; decoded < BatchSize;)
                {
                    if (!_entries!.MoveNext()) { done = true; break; }
                    var entry = _entries.Current;
                    if (_lastHandedOut != null && BoltBytes.Compare(entry.Key.Span, _lastHandedOut) <= 0) continue;
                    _problems = null;
                    var item = _decode(entry, _collect);
                    var problems = _problems;
                    _problems = null;
                    if (item != null || problems != null) Batch.Add((item, problems));
                    lastKey = entry.Key;
                    decoded++;
                }
                if (lastKey != null) last = lastKey.Value.ToArray();
                return done;
            }
        }

        private void Reopen()
        {
            _database = OpenDatabase(Root);
            _v1 = null;
            _v1Found = false;
            _namespaces = null;
        }

        /// <summary>As <see cref="Read{T}"/>, but damage that stays is reported to <paramref name="onError"/> and <paramref name="fallback"/> returned.</summary>
        internal T ReadOrReport<T>(Func<Action<ImageToolsException>, T> read, Action<ImageToolsException> onError, T fallback)
        {
            try { return Read(read, onError); }
            catch (ImageToolsException e) when (e.ErrorId == ErrorId.MetadataCorrupt)
            {
                onError(e);
                return fallback;
            }
        }

        /// <summary>The namespaces, in key order; one whose name is not UTF-8 is left out and kept in <see cref="NamespaceProblems"/>.</summary>
        public IEnumerable<string> NamespaceNames()
        {
            if (_namespaces != null) return _namespaces;
            var problems = new List<ImageToolsException>();
            _namespaces = Read(report =>
            {
                var names = new List<string>();
                void Problem(string m) => report(new ImageToolsException(ErrorId.MalformedContent, $"{Root.MetadataPath}: {m}.", m, Root.RootPath));
                if (V1Bucket != null) foreach (var b in V1Bucket.EnumerateBuckets()) if (ContainerdEncoding.Name(b, Problem) is string name) names.Add(name);
                return names;
            }, problems.Add);
            _namespaceProblems = problems;
            return _namespaces;
        }

        /// <summary>The namespaces <see cref="NamespaceNames"/> left out (names that are not UTF-8).</summary>
        public IReadOnlyList<ImageToolsException> NamespaceProblems => _namespaceProblems;

        /// <summary>The bucket of a namespace, or null.</summary>
        internal BoltBucket? Namespace(string name) => V1Bucket?.GetBucket(name);
        /// <summary>The namespaces that <paramref name="patterns"/> select (all when null or empty; wildcards allowed).</summary>
        public IReadOnlyList<string> SelectNamespaces(string[]? patterns, Func<string, string, bool> matches, List<string> unmatched)
        {
            var all = new List<string>(NamespaceNames());
            if (patterns == null || patterns.Length == 0) return all;
            var result = new List<string>();
            foreach (var p in patterns)
            {
                bool any = false;
                foreach (var ns in all)
                    if (matches(p, ns)) { any = true; if (!result.Contains(ns)) result.Add(ns); }
                if (!any) unmatched.Add(p);
            }
            return result;
        }
    }
}
