using System;
using System.Collections.Generic;
using System.IO;
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
