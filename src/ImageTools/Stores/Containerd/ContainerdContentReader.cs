using System;
using System.Collections.Generic;
using ImageTools.Bolt;
using ImageTools.Oci;

namespace ImageTools.Stores.Containerd
{
    /// <summary>
    /// Reads <c>v1/&lt;ns&gt;/content/blob/&lt;digest&gt;/{createdat, updatedat, size, labels}</c> in one walk, each record
    /// from one pass over its bucket, in digest order.
    /// </summary>
    internal sealed class ContainerdContentReader
    {
        private static readonly byte[] ContentKey = BoltBytes.Utf8("content");
        private static readonly byte[] BlobKey = BoltBytes.Utf8("blob");
        private readonly ContainerdMetadata _metadata;

        public ContainerdContentReader(ContainerdMetadata metadata) { _metadata = metadata; }

        /// <summary>
        /// Every content record of a namespace, in digest order, with kinds inferred across the namespace. One walk
        /// reads them all (inside the metadata's retry, so a torn page is met before anything is yielded); kinds that a
        /// record's own labels do not give come from how the other records refer to it.
        /// </summary>
        public IEnumerable<ContainerdContent> Read(string ns, Action<ImageToolsException> onError)
        {
            List<ContainerdContent> records;
            try
            {
                records = _metadata.Read(report =>
                {
                    var blobs = Blobs(ns);
                    var list = blobs == null ? new List<ContainerdContent>() : new List<ContainerdContent>(Records(ns, blobs, report));
                    ContainerdLabels.InferFromReferences(list);
                    return list;
                }, onError);
            }
            catch (ImageToolsException e)
            {
                onError(e);
                yield break;
            }
            foreach (var c in records) yield return c;
        }

        private BoltBucket? Blobs(string ns) => _metadata.Namespace(ns)?.GetBucket(ContentKey)?.GetBucket(BlobKey);

        private IEnumerable<ContainerdContent> Records(string ns, BoltBucket blobs, Action<ImageToolsException> onError)
        {
            void Problem(string message) => onError(new ImageToolsException(ErrorId.MalformedContent,
                $"{_metadata.Root.MetadataPath}: {message}.", message, _metadata.Root.RootPath));
            // label values repeat record keys (and one layer is named by many manifests), label keys repeat from record
            // to record: each text is kept once and each digest parsed once, so the records share them
            var known = new Dictionary<string, Digest>(StringComparer.Ordinal);
            var texts = new Dictionary<string, string>(StringComparer.Ordinal);
            string Shared(string text)
            {
                if (texts.TryGetValue(text, out var kept)) return kept;
                texts.Add(text, text);
                return text;
            }
            foreach (var entry in blobs.Entries())
            {
                if (!entry.IsBucket) continue;
                string key = Shared(entry.KeyString);
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
                        if (k.SequenceEqual(ContainerdMetadata.Labels))
                        {
                            labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
                            foreach (var pair in ContainerdEncoding.Pairs(e.OpenBucket()!, Problem)) labels[Shared(pair.Key)] = Shared(pair.Value);
                        }
                    }
                    else if (k.SequenceEqual(ContainerdEncoding.Size)) rawSize = e.Value;
                    else if (k.SequenceEqual(ContainerdEncoding.CreatedAt)) rawCreated = e.Value;
                    else if (k.SequenceEqual(ContainerdEncoding.UpdatedAt)) rawUpdated = e.Value;
                }
                long size = ContainerdEncoding.Varint(bucket, ContainerdEncoding.Size, rawSize, Problem) ?? 0;
                var created = ContainerdEncoding.Time(bucket, ContainerdEncoding.CreatedAt, rawCreated, Problem);
                var updated = ContainerdEncoding.Time(bucket, ContainerdEncoding.UpdatedAt, rawUpdated, Problem);
                var c = new ContainerdContent(ns, digest!, size, created, updated, labels, _metadata.Root);
                ContainerdLabels.Decode(c, Problem, known);
                yield return c;
            }
        }
    }
}
