using System;
using System.Collections.Generic;
using System.IO;
using ImageTools.Bolt;
using ImageTools.Oci;

namespace ImageTools.Stores.Containerd
{
    /// <summary>Reads <c>v1/&lt;ns&gt;/content/blob/&lt;digest&gt;/{createdat, updatedat, size, labels}</c>.</summary>
    internal sealed class ContainerdContentReader
    {
        private static readonly byte[] ContentKey = BoltBytes.Utf8("content");
        private static readonly byte[] BlobKey = BoltBytes.Utf8("blob");
        private readonly ContainerdMetadata _metadata;
        private readonly Dictionary<string, HashSet<string>> _files = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);

        public ContainerdContentReader(ContainerdMetadata metadata) { _metadata = metadata; }

        /// <summary>Every content record of a namespace, in digest order, with kinds inferred across the namespace.</summary>
        public List<ContainerdContent> Read(string ns, Action<ImageToolsException> onError)
        {
            var result = new List<ContainerdContent>();
            var blobs = _metadata.Namespace(ns)?.GetBucket(ContentKey)?.GetBucket(BlobKey);
            if (blobs == null) return result;
            result.Capacity = blobs.Buckets.Count;
            void Problem(string message) => onError(new ImageToolsException(ErrorId.MalformedContent,
                $"{_metadata.Root.MetadataPath}: {message}.", message, _metadata.Root.RootPath));
            foreach (var bucket in blobs.Buckets)
            {
                string key = bucket.NameString;
                if (!Digest.TryParse(key, out var digest, out var reason))
                {
                    onError(new ImageToolsException(ErrorId.InvalidDigest,
                        $"{_metadata.Root.MetadataPath}: content record '{BoltBytes.Describe(bucket.Name)}' in namespace {ns} is not a digest ({reason}).",
                        key, _metadata.Root.RootPath));
                    continue;
                }
                long size = ContainerdEncoding.Varint(bucket, ContainerdEncoding.Size, Problem) ?? 0;
                var created = ContainerdEncoding.Time(bucket, ContainerdEncoding.CreatedAt, Problem);
                var updated = ContainerdEncoding.Time(bucket, ContainerdEncoding.UpdatedAt, Problem);
                var labels = ContainerdEncoding.Pairs(bucket, ContainerdMetadata.Labels);
                string path = _metadata.Root.BlobPath(digest!);
                var c = new ContainerdContent(ns, digest!, size, created, updated, labels, path, BlobFileExists(digest!));
                ContainerdLabels.Decode(c, Problem);
                result.Add(c);
            }
            ContainerdLabels.InferFromReferences(result);
            return result;
        }

        /// <summary>Whether the blob's file exists; one directory listing per algorithm instead of a stat per blob.</summary>
        public bool BlobFileExists(Digest digest)
        {
            if (!_files.TryGetValue(digest.Algorithm, out var names))
            {
                names = new HashSet<string>(StringComparer.Ordinal);
                string dir = Path.Combine(_metadata.Root.BlobsPath, digest.Algorithm);
                if (Directory.Exists(dir))
                    foreach (var f in Directory.EnumerateFiles(dir)) names.Add(Path.GetFileName(f));
                _files[digest.Algorithm] = names;
            }
            return names.Contains(digest.Encoded);
        }
    }
}
