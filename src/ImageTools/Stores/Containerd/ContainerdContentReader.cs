using System;
using System.Collections.Generic;
using ImageTools.Bolt;
using ImageTools.Oci;

namespace ImageTools.Stores.Containerd
{
    /// <summary>
    /// Reads <c>v1/&lt;ns&gt;/content/blob/&lt;digest&gt;/{createdat, updatedat, size, labels}</c> in digest order and
    /// hands each record out as soon as it is decoded (<see cref="ContainerdMetadata.ReadStreamed{T}"/>), so a listing
    /// of a large namespace never holds all its records.
    /// </summary>
    /// <remarks>
    /// A record whose own labels do not tell its kind takes it from how other records refer to it (a manifest names
    /// its config and layers, an index its manifests), and the record that refers may come later in digest order.
    /// So when the first such record is met, a separate walk reads only the reference labels
    /// (<c>containerd.io/gc.ref.content.*</c>) of every record, and the listing goes on with those references at
    /// hand. In a root whose images were unpacked, configs and layers say what they are themselves (snapshot and
    /// uncompressed labels), and that walk is seldom needed. When it is, it reads the records with labels in the
    /// order of their pages in the file and keeps what it read of them (within a budget,
    /// <see cref="ContainerdContentReferences"/>), so the listing does not read those pages again.
    /// </remarks>
    internal sealed class ContainerdContentReader
    {
        private static readonly byte[] ContentKey = BoltBytes.Utf8("content");
        private static readonly byte[] BlobKey = BoltBytes.Utf8("blob");
        private readonly ContainerdMetadata _metadata;

        public ContainerdContentReader(ContainerdMetadata metadata) { _metadata = metadata; }

        /// <summary>Every content record of a namespace, in digest order, with kinds inferred across the namespace, each handed out as it is decoded.</summary>
        public IEnumerable<ContainerdContent> Read(string ns, Action<ImageToolsException> onError)
        {
            var references = new ContainerdContentReferences();
            return _metadata.ReadStreamed(
                () => Blobs(ns),
                references.Reset,
                (entry, report) => Record(ns, entry, references, () => Blobs(ns), report),
                onError);
        }

        private BoltBucket? Blobs(string ns) => _metadata.Namespace(ns)?.GetBucket(ContentKey)?.GetBucket(BlobKey);

        private ContainerdContent? Record(string ns, BoltEntry entry, ContainerdContentReferences references, Func<BoltBucket?> blobs,
            Action<ImageToolsException> onError)
        {
            if (!entry.IsBucket) return null;
            // one delegate for the record (a local function passed as a delegate makes a new one at each call)
            Action<string> problem = message => onError(new ImageToolsException(ErrorId.MalformedContent,
                $"{_metadata.Root.MetadataPath}: {message}.", message, _metadata.Root.RootPath));
            string key = entry.KeyString;
            Digest? digest;
            string? reason = null;
            if (references.Known.TryGetValue(key, out var seen)) digest = seen;
            else Digest.TryParse(key, out digest, out reason);
            if (digest == null)
            {
                onError(new ImageToolsException(ErrorId.InvalidDigest,
                    $"{_metadata.Root.MetadataPath}: content record '{BoltBytes.Describe(entry.Key)}' in namespace {ns} is not a digest ({reason}).",
                    key, _metadata.Root.RootPath));
                return null;
            }
            var bucket = entry.OpenBucket()!;
            ReadOnlyMemory<byte>? rawSize = null, rawCreated = null, rawUpdated = null;
            // a LabelSet, which the record keeps as it is (any other dictionary it copies)
            LabelSet? labels = null;
            if (!bucket.IsInline && references.TakeReadAhead(bucket.RootPageId) is { } ahead)
            {
                // read already by the reference walk, in file order: its page is not read a second time
                rawSize = ahead.Size;
                rawCreated = ahead.CreatedAt;
                rawUpdated = ahead.UpdatedAt;
                if (ahead.Labels != null)
                {
                    labels = new LabelSet();
                    foreach (var pair in ahead.Labels) labels[pair.Key] = pair.Value;
                }
            }
            else foreach (var e in bucket.Entries())
            {
                var k = e.Key.Span;
                if (e.IsBucket)
                {
                    if (k.SequenceEqual(ContainerdMetadata.Labels))
                    {
                        labels = new LabelSet();
                        foreach (var pair in ContainerdEncoding.Pairs(e.OpenBucket()!, problem))
                            labels[references.Shared(pair.Key)] = references.SharedValue(pair.Value);
                    }
                }
                else if (k.SequenceEqual(ContainerdEncoding.Size)) rawSize = e.Value;
                else if (k.SequenceEqual(ContainerdEncoding.CreatedAt)) rawCreated = e.Value;
                else if (k.SequenceEqual(ContainerdEncoding.UpdatedAt)) rawUpdated = e.Value;
            }
            long size = ContainerdEncoding.Varint(bucket, ContainerdEncoding.Size, rawSize, problem) ?? 0;
            var created = ContainerdEncoding.Time(bucket, ContainerdEncoding.CreatedAt, rawCreated, problem);
            var updated = ContainerdEncoding.Time(bucket, ContainerdEncoding.UpdatedAt, rawUpdated, problem);
            var c = new ContainerdContent(ns, digest, size, created, updated, labels, _metadata.Root);
            ContainerdLabels.Decode(c, problem, references.Known);
            if (c.KindValue == ContainerdContentKind.Unknown) c.KindValue = references.KindOf(digest, blobs);
            return c;
        }
    }
}
