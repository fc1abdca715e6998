using System;
using System.Collections.Generic;
using System.IO;
using ImageTools.Bolt;
using ImageTools.Oci;

namespace ImageTools.Stores.Containerd
{
    /// <summary>
    /// Reads <c>v1/&lt;ns&gt;/content/blob/&lt;digest&gt;/{createdat, updatedat, size, labels}</c>, streaming: a first walk
    /// notes which digests the labels of the namespace refer to (and checks every page the second walk will read),
    /// the second walk builds each record from one pass over its bucket and yields it, in digest order.
    /// </summary>
    internal sealed class ContainerdContentReader
    {
        private static readonly byte[] ContentKey = BoltBytes.Utf8("content");
        private static readonly byte[] BlobKey = BoltBytes.Utf8("blob");
        private static readonly byte[] ContentRefPrefix = BoltBytes.Utf8(ContainerdLabels.ContentRefPrefix);
        private readonly ContainerdMetadata _metadata;
        private readonly Dictionary<string, HashSet<string>> _files = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);

        public ContainerdContentReader(ContainerdMetadata metadata) { _metadata = metadata; }

        /// <summary>Every content record of a namespace, in digest order, with kinds inferred across the namespace.</summary>
        public IEnumerable<ContainerdContent> Read(string ns, Action<ImageToolsException> onError)
        {
            ContentReferences references;
            try
            {
                references = _metadata.Read(_ => ContentReferences.Collect(Blobs(ns)), onError);
            }
            catch (ImageToolsException e)
            {
                onError(e);
                yield break;
            }
            var blobs = Blobs(ns);
            if (blobs == null) yield break;
            using (var records = Records(ns, blobs, references, onError).GetEnumerator())
            {
                while (true)
                {
                    ContainerdContent current;
                    try
                    {
                        if (!records.MoveNext()) break;
                        current = records.Current;
                    }
                    catch (BoltFormatException e)
                    {
                        // the first walk read the same pages of the same bytes, so this is not expected
                        onError(new ImageToolsException(ErrorId.MetadataCorrupt,
                            $"containerd's metadata database {_metadata.Root.MetadataPath} cannot be read: {e.Problem} ({e.Kind}).",
                            _metadata.Root.MetadataPath, _metadata.Root.RootPath, e));
                        yield break;
                    }
                    yield return current;
                }
            }
        }

        private BoltBucket? Blobs(string ns) => _metadata.Namespace(ns)?.GetBucket(ContentKey)?.GetBucket(BlobKey);

        private IEnumerable<ContainerdContent> Records(string ns, BoltBucket blobs, ContentReferences references, Action<ImageToolsException> onError)
        {
            void Problem(string message) => onError(new ImageToolsException(ErrorId.MalformedContent,
                $"{_metadata.Root.MetadataPath}: {message}.", message, _metadata.Root.RootPath));
            // label values repeat record keys (and one layer is named by many manifests): parse each text once
            var known = new Dictionary<string, Digest>(StringComparer.Ordinal);
            foreach (var entry in blobs.Entries())
            {
                if (!entry.IsBucket) continue;
                string key = entry.KeyString;
                Digest? digest;
                string? reason = null;
                if (known.TryGetValue(key, out var seen)) digest = seen;
                else if (Digest.TryParse(key, out digest, out reason)) known[key] = digest!;
                if (digest == null)
                {
                    onError(new ImageToolsException(ErrorId.InvalidDigest,
                        $"{_metadata.Root.MetadataPath}: content record '{BoltBytes.Describe(entry.Key)}' in namespace {ns} is not a digest ({reason}).",
                        key, _metadata.Root.RootPath));
                    continue;
                }
                var bucket = entry.OpenBucket()!;
                ReadOnlyMemory<byte>? rawSize = null, rawCreated = null, rawUpdated = null;
                SortedDictionary<string, string>? labels = null;
                foreach (var e in bucket.Entries())
                {
                    var k = e.Key.Span;
                    if (e.IsBucket)
                    {
                        if (k.SequenceEqual(ContainerdMetadata.Labels)) labels = ContainerdEncoding.Pairs(e.OpenBucket()!);
                    }
                    else if (k.SequenceEqual(ContainerdEncoding.Size)) rawSize = e.Value;
                    else if (k.SequenceEqual(ContainerdEncoding.CreatedAt)) rawCreated = e.Value;
                    else if (k.SequenceEqual(ContainerdEncoding.UpdatedAt)) rawUpdated = e.Value;
                }
                long size = ContainerdEncoding.Varint(bucket, ContainerdEncoding.Size, rawSize, Problem) ?? 0;
                var created = ContainerdEncoding.Time(bucket, ContainerdEncoding.CreatedAt, rawCreated, Problem);
                var updated = ContainerdEncoding.Time(bucket, ContainerdEncoding.UpdatedAt, rawUpdated, Problem);
                string path = _metadata.Root.BlobPath(digest!);
                var c = new ContainerdContent(ns, digest!, size, created, updated,
                    labels ?? new SortedDictionary<string, string>(StringComparer.Ordinal), path, BlobFileExists(digest!));
                ContainerdLabels.Decode(c, Problem, known);
                if (c.Kind == ContainerdContentKind.Unknown) c.Kind = references.KindOf(key);
                yield return c;
            }
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

        /// <summary>
        /// What the labels of a namespace's records say about other records, for those whose own labels say nothing
        /// (<see cref="ContainerdLabels.InferFromReferences"/> over all records, without keeping the records): the
        /// first config or layer reference in digest order wins, then a record referred to as a child is a manifest.
        /// </summary>
        private sealed class ContentReferences
        {
            private readonly Dictionary<string, ContainerdContentKind> _marks = new Dictionary<string, ContainerdContentKind>(StringComparer.Ordinal);
            private readonly HashSet<string> _children = new HashSet<string>(StringComparer.Ordinal);

            public ContainerdContentKind KindOf(string digest) =>
                _marks.TryGetValue(digest, out var kind) ? kind : _children.Contains(digest) ? ContainerdContentKind.Manifest : ContainerdContentKind.Unknown;

            /// <summary>Walks every record bucket of <paramref name="blobs"/> whole (so that the second walk meets no unchecked page).</summary>
            public static ContentReferences Collect(BoltBucket? blobs)
            {
                var result = new ContentReferences();
                if (blobs == null) return result;
                var layers = new List<(long Index, string Digest)>();
                foreach (var entry in blobs.Entries())
                {
                    if (!entry.IsBucket) continue;
                    var bucket = entry.OpenBucket()!;
                    bool valid = Digest.TryParse(entry.KeyString, out _);
                    foreach (var e in bucket.Entries())
                    {
                        if (!e.IsBucket) continue;
                        var labels = e.OpenBucket()!;
                        bool isLabels = valid && e.Key.Span.SequenceEqual(ContainerdMetadata.Labels);
                        string? config = null;
                        layers.Clear();
                        foreach (var pair in labels.EnumeratePairs())
                        {
                            if (!isLabels || !pair.Key.Span.StartsWith(ContentRefPrefix)) continue;
                            string key = pair.KeyString;
                            if (key == ContainerdLabels.ConfigRef) config = pair.ValueString;
                            else if (key.StartsWith(ContainerdLabels.LayerRefPrefix, StringComparison.Ordinal))
                                layers.Add((Index(key.Substring(ContainerdLabels.LayerRefPrefix.Length)), pair.ValueString));
                            else if (key.StartsWith(ContainerdLabels.ManifestRefPrefix, StringComparison.Ordinal) || IsNumber(key.Substring(ContainerdLabels.ContentRefPrefix.Length)))
                                result._children.Add(pair.ValueString);
                        }
                        if (config != null && !result._marks.ContainsKey(config)) result._marks[config] = ContainerdContentKind.Config;
                        if (layers.Count > 1) layers.Sort((a, b) => a.Index.CompareTo(b.Index));
                        foreach (var (_, layer) in layers)
                            if (!result._marks.ContainsKey(layer)) result._marks[layer] = ContainerdContentKind.Layer;
                    }
                }
                return result;
            }

            private static long Index(string s) =>
                long.TryParse(s, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : long.MaxValue;

            private static bool IsNumber(string s)
            {
                if (s.Length == 0) return false;
                foreach (char ch in s) if (ch < '0' || ch > '9') return false;
                return true;
            }
        }
    }
}
