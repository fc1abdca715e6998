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
    /// uncompressed labels), and that walk is seldom needed.
    /// </remarks>
    internal sealed class ContainerdContentReader
    {
        private static readonly byte[] ContentKey = BoltBytes.Utf8("content");
        private static readonly byte[] BlobKey = BoltBytes.Utf8("blob");
        private static readonly byte[] ContentRefPrefix = BoltBytes.Utf8(ContainerdLabels.ContentRefPrefix);
        private static readonly byte[] ConfigRefSuffix = BoltBytes.Utf8(ContainerdLabels.ConfigRef.Substring(ContainerdLabels.ContentRefPrefix.Length));
        private static readonly byte[] LayerRefSuffix = BoltBytes.Utf8(ContainerdLabels.LayerRefPrefix.Substring(ContainerdLabels.ContentRefPrefix.Length));
        private static readonly byte[] ManifestRefSuffix = BoltBytes.Utf8(ContainerdLabels.ManifestRefPrefix.Substring(ContainerdLabels.ContentRefPrefix.Length));
        private readonly ContainerdMetadata _metadata;

        public ContainerdContentReader(ContainerdMetadata metadata) { _metadata = metadata; }

        /// <summary>Every content record of a namespace, in digest order, with kinds inferred across the namespace, each handed out as it is decoded.</summary>
        public IEnumerable<ContainerdContent> Read(string ns, Action<ImageToolsException> onError)
        {
            var references = new References();
            // label keys repeat from record to record and label values name the same digests (one layer is named by
            // many manifests): each key text is kept once and each digest parsed once, so the records share them
            var texts = new Dictionary<string, string>(StringComparer.Ordinal);
            return _metadata.ReadStreamed(
                () => Blobs(ns),
                references.Reset,
                (entry, report) => Record(ns, entry, references, () => Blobs(ns), texts, report),
                onError);
        }

        private BoltBucket? Blobs(string ns) => _metadata.Namespace(ns)?.GetBucket(ContentKey)?.GetBucket(BlobKey);

        private ContainerdContent? Record(string ns, BoltEntry entry, References references, Func<BoltBucket?> blobs,
            Dictionary<string, string> texts, Action<ImageToolsException> onError)
        {
            if (!entry.IsBucket) return null;
            void Problem(string message) => onError(new ImageToolsException(ErrorId.MalformedContent,
                $"{_metadata.Root.MetadataPath}: {message}.", message, _metadata.Root.RootPath));
            string Shared(string text)
            {
                if (texts.TryGetValue(text, out var kept)) return kept;
                texts.Add(text, text);
                return text;
            }
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
            SortedDictionary<string, string>? labels = null;
            foreach (var e in bucket.Entries())
            {
                var k = e.Key.Span;
                if (e.IsBucket)
                {
                    if (k.SequenceEqual(ContainerdMetadata.Labels))
                    {
                        labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
                        foreach (var pair in ContainerdEncoding.Pairs(e.OpenBucket()!, Problem))
                            labels[Shared(pair.Key)] = references.Known.TryGetValue(pair.Value, out var d) ? d.ToString() : pair.Value;
                    }
                }
                else if (k.SequenceEqual(ContainerdEncoding.Size)) rawSize = e.Value;
                else if (k.SequenceEqual(ContainerdEncoding.CreatedAt)) rawCreated = e.Value;
                else if (k.SequenceEqual(ContainerdEncoding.UpdatedAt)) rawUpdated = e.Value;
            }
            long size = ContainerdEncoding.Varint(bucket, ContainerdEncoding.Size, rawSize, Problem) ?? 0;
            var created = ContainerdEncoding.Time(bucket, ContainerdEncoding.CreatedAt, rawCreated, Problem);
            var updated = ContainerdEncoding.Time(bucket, ContainerdEncoding.UpdatedAt, rawUpdated, Problem);
            var c = new ContainerdContent(ns, digest, size, created, updated, labels, _metadata.Root);
            ContainerdLabels.Decode(c, Problem, references.Known);
            if (c.KindValue == ContainerdContentKind.Unknown) c.KindValue = references.KindOf(digest, blobs);
            return c;
        }

        /// <summary>How the records of a namespace refer to each other (a walk of its own, made when first needed): what each referred digest is, as far as references tell.</summary>
        private sealed class References
        {
            private bool _collected;
            private readonly Dictionary<Digest, (int Order, ContainerdContentKind Kind)> _referredAs = new Dictionary<Digest, (int, ContainerdContentKind)>();
            private readonly HashSet<Digest> _children = new HashSet<Digest>();

            /// <summary>Every digest a reference label names, by its text: parsed once, shared by the records.</summary>
            internal Dictionary<string, Digest> Known { get; } = new Dictionary<string, Digest>(StringComparer.Ordinal);

            /// <summary>Forgets everything: the database was read again.</summary>
            internal void Reset()
            {
                _collected = false;
                _referredAs.Clear();
                _children.Clear();
                Known.Clear();
            }

            /// <summary>
            /// Reads the reference labels of every record of <paramref name="blobs"/>. A record that says nothing itself
            /// is a config or a layer when a record names it so (the first such reference in record order wins), else a
            /// manifest when an index names it (a record with children of its own says Index itself).
            /// </summary>
            /// <remarks>
            /// A record with labels is a bucket of its own page (bbolt keeps a bucket with a nested bucket out of line),
            /// and those pages lie scattered over the file in no relation to digest order. The references are a set, so
            /// the records are read in the order of their pages in the file: one page fault then maps the pages that
            /// follow too (fault-around), where digest order made one fault per record. Which reference wins still
            /// follows record order (each record's place in the walk is kept with its references).
            /// </remarks>
            private void Collect(BoltBucket? blobs)
            {
                _collected = true;
                if (blobs == null) return;
                var outOfLine = new List<(ulong Page, int Order, BoltBucket Record)>();
                int order = 0;
                foreach (var entry in blobs.Entries())
                {
                    // a record that is not a digest is left out of the listing, and so are its references
                    if (!entry.IsBucket || !IsDigest(entry)) continue;
                    var record = entry.OpenBucket()!;
                    if (record.IsInline) CollectRecord(record, order++);
                    else outOfLine.Add((record.RootPageId, order++, record));
                }
                outOfLine.Sort((a, b) => a.Page.CompareTo(b.Page));
                foreach (var (_, o, record) in outOfLine) CollectRecord(record, o);
            }

            private void CollectRecord(BoltBucket record, int order)
            {
                var labels = record.GetBucket(ContainerdMetadata.Labels);
                if (labels == null) return;
                foreach (var pair in labels.EnumeratePairs())
                {
                    var key = pair.Key.Span;
                    if (!key.StartsWith(ContentRefPrefix)) continue;
                    var rest = key.Slice(ContentRefPrefix.Length);
                    bool config = rest.SequenceEqual(ConfigRefSuffix);
                    bool layer = !config && rest.StartsWith(LayerRefSuffix);
                    bool child = !config && !layer && (rest.StartsWith(ManifestRefSuffix) || IsNumber(rest));
                    if (!config && !layer && !child) continue;
                    if (!IsAscii(rest) || !BoltBytes.TryToText(pair.Value, out var text)) continue;
                    if (!Known.TryGetValue(text, out var digest))
                    {
                        if (!Digest.TryParse(text, out digest)) continue;
                        Known.Add(text, digest!);
                    }
                    if (child) _children.Add(digest!);
                    // within a record the first reference in key order wins; across records the earliest record
                    else if (!_referredAs.TryGetValue(digest!, out var had) || order < had.Order)
                        _referredAs[digest!] = (order, config ? ContainerdContentKind.Config : ContainerdContentKind.Layer);
                }
            }

            /// <summary>The kind references give <paramref name="digest"/>; the first call reads the references of <paramref name="blobs"/>.</summary>
            internal ContainerdContentKind KindOf(Digest digest, Func<BoltBucket?> blobs)
            {
                if (!_collected) Collect(blobs());
                return _referredAs.TryGetValue(digest, out var referred) ? referred.Kind
                : _children.Contains(digest) ? ContainerdContentKind.Manifest
                : ContainerdContentKind.Unknown;
            }

            private static readonly byte[] Sha256Prefix = BoltBytes.Utf8("sha256:");

            /// <summary>Whether a record key is a digest, without making a string of the common sha256 key.</summary>
            private static bool IsDigest(BoltEntry record)
            {
                var key = record.Key.Span;
                if (key.Length == 71 && key.StartsWith(Sha256Prefix))
                {
                    bool hex = true;
                    foreach (var b in key.Slice(Sha256Prefix.Length))
                        if (!((b >= (byte)'0' && b <= (byte)'9') || (b >= (byte)'a' && b <= (byte)'f'))) { hex = false; break; }
                    if (hex) return true;
                }
                return Digest.TryParse(record.KeyString, out _);
            }

            // a label key that is not UTF-8 is left out of the labels: the reference keys are ASCII
            private static bool IsAscii(ReadOnlySpan<byte> s)
            {
                foreach (var b in s) if (b >= 0x80) return false;
                return true;
            }

            private static bool IsNumber(ReadOnlySpan<byte> s)
            {
                if (s.IsEmpty) return false;
                foreach (var b in s) if (b < (byte)'0' || b > (byte)'9') return false;
                return true;
            }
        }
    }
}
