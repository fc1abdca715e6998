using System;
using System.Collections.Generic;
using System.IO;
using ImageTools.Bolt;

namespace ImageTools.Stores.Containerd
{
    /// <summary>
    /// containerd's metadata database (io.containerd.metadata.v1.bolt/meta.db) read once, without a lock, through
    /// <see cref="BoltDatabase.Open(string)"/>: <c>v1/&lt;namespace&gt;/{labels, images, content/blob, containers,
    /// snapshots, leases, sandboxes}</c>. A live containerd is not disturbed (no flock, no write).
    /// </summary>
    public sealed class ContainerdMetadata
    {
        internal static readonly byte[] V1 = BoltBytes.Utf8("v1");
        internal static readonly byte[] Version = BoltBytes.Utf8("version");
        internal static readonly byte[] Labels = BoltBytes.Utf8("labels");

        private ContainerdMetadata(ContainerdRoot root, BoltDatabase db, BoltBucket? v1)
        {
            Root = root;
            Database = db;
            V1Bucket = v1;
        }

        public ContainerdRoot Root { get; }
        public BoltDatabase Database { get; }

        /// <summary>The v1 bucket (null in an empty database that containerd never initialized).</summary>
        internal BoltBucket? V1Bucket { get; }

        /// <summary>The schema version containerd recorded (v1/version), or null.</summary>
        public long? SchemaVersion => V1Bucket == null ? null : ContainerdEncoding.Varint(V1Bucket, Version, _ => { });

        /// <summary>Opens meta.db of <paramref name="root"/>.</summary>
        /// <exception cref="ImageToolsException">MetadataCorrupt (a damaged database), FileNotFound, StoreUnreadable.</exception>
        public static ContainerdMetadata Open(ContainerdRoot root)
        {
            string path = root.MetadataPath;
            BoltDatabase db;
            try
            {
                db = BoltDatabase.Open(path);
            }
            catch (BoltFormatException e)
            {
                throw new ImageToolsException(ErrorId.MetadataCorrupt,
                    $"containerd's metadata database {path} cannot be read: {e.Problem} ({e.Kind}).", path, root.RootPath, e);
            }
            catch (FileNotFoundException e)
            {
                throw new ImageToolsException(ErrorId.FileNotFound, $"containerd's metadata database {path} does not exist.", path, root.RootPath, e);
            }
            return new ContainerdMetadata(root, db, db.Root.GetBucket(V1));
        }

        /// <summary>The namespaces, in key order.</summary>
        public IEnumerable<string> NamespaceNames()
        {
            if (V1Bucket == null) yield break;
            foreach (var b in V1Bucket.Buckets) yield return b.NameString;
        }

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
