using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
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
            var listing = new Listing(this, ns);
            return _metadata.ReadStreamed(listing.Blobs, listing.References.Reset, listing.Record, onError);
        }

        private BoltBucket? Blobs(string ns) => _metadata.Namespace(ns)?.GetBucket(ContentKey)?.GetBucket(BlobKey);

        /// <summary>One listing of a namespace: its delegates are made once, not once per record.</summary>
        private sealed class Listing
        {
            private readonly ContainerdContentReader _reader;
            private readonly string _ns;
            private readonly Func<BoltBucket?> _blobs;
            private Action<ImageToolsException>? _problemTarget;
            private Action<string>? _problem;
            private KeyValuePair<string, string>[] _labels = new KeyValuePair<string, string>[8];

            internal Listing(ContainerdContentReader reader, string ns)
            {
                _reader = reader;
                _ns = ns;
                _blobs = Blobs;
            }

            internal ContainerdContentReferences References { get; } = new ContainerdContentReferences();

            internal BoltBucket? Blobs() => _reader.Blobs(_ns);

            private ContainerdMetadata Metadata => _reader._metadata;

            /// <summary>How a record's problems are told (made again only when the walk hands a new <paramref name="onError"/>).</summary>
            private Action<string> Problem(Action<ImageToolsException> onError)
            {
                if (_problem == null || !ReferenceEquals(onError, _problemTarget))
                {
                    var metadata = Metadata;
                    _problemTarget = onError;
                    _problem = message => onError(new ImageToolsException(ErrorId.MalformedContent,
                        $"{metadata.Root.MetadataPath}: {message}.", message, metadata.Root.RootPath));
                }
                return _problem;
            }

            [MethodImpl(HotPath.Optimized)]
            internal ContainerdContent? Record(BoltEntry entry, Action<ImageToolsException> onError)
            {
                if (!entry.IsBucket) return null;
                var problem = Problem(onError);
                var references = References;
                // a digest a label named is found by the key's bytes: no string is made of it
                var found = references.Find(entry.Key.Span);
                var digest = found?.Digest;
                if (digest == null)
                {
                    string key = entry.KeyString;
                    if (!Digest.TryParse(key, out digest, out var reason))
                    {
                        onError(NotADigest(entry, key, reason));
                        return null;
                    }
                }
                var bucket = entry.OpenBucket()!;
                ReadOnlyMemory<byte>? rawSize = null, rawCreated = null, rawUpdated = null;
                KeyValuePair<string, string>[]? labels = null;
                // read already by the reference walk, in file order: its page is not read a second time
                bool readAhead = !bucket.IsInline && references.TakeReadAhead(bucket.RootPageId, out rawSize, out rawCreated, out rawUpdated, out labels);
                if (!readAhead) foreach (var e in bucket.Cursor())
                {
                    var k = e.Key.Span;
                    if (e.IsBucket)
                    {
                        if (k.SequenceEqual(ContainerdMetadata.Labels)) labels = Labels(e.OpenBucket()!, problem);
                    }
                    else if (k.SequenceEqual(ContainerdEncoding.Size)) rawSize = e.Value;
                    else if (k.SequenceEqual(ContainerdEncoding.CreatedAt)) rawCreated = e.Value;
                    else if (k.SequenceEqual(ContainerdEncoding.UpdatedAt)) rawUpdated = e.Value;
                }
                long size = ContainerdEncoding.Varint(bucket, ContainerdEncoding.Size, rawSize, problem) ?? 0;
                var created = ContainerdEncoding.Time(bucket, ContainerdEncoding.CreatedAt, rawCreated, problem);
                var updated = ContainerdEncoding.Time(bucket, ContainerdEncoding.UpdatedAt, rawUpdated, problem);
                var c = new ContainerdContent(_ns, digest!, size, created, updated, labels, Metadata.Root);
                ContainerdLabels.Decode(c, problem, references);
                if (c.KindValue == ContainerdContentKind.Unknown) c.KindValue = references.KindOf(digest!, found, _blobs);
                return c;
            }

            private ImageToolsException NotADigest(BoltEntry entry, string key, string? reason) =>
                new ImageToolsException(ErrorId.InvalidDigest,
                    $"{Metadata.Root.MetadataPath}: content record '{BoltBytes.Describe(entry.Key)}' in namespace {_ns} is not a digest ({reason}).",
                    key, Metadata.Root.RootPath);

            /// <summary>The pairs of a record's labels bucket, ordered by key; a pair that is not UTF-8 text is reported and left out (as <see cref="ContainerdEncoding.Pairs(BoltBucket, Action{string})"/>).</summary>
            private KeyValuePair<string, string>[] Labels(BoltBucket bucket, Action<string> problem)
            {
                int count = 0;
                foreach (var e in bucket.Cursor())
                {
                    if (e.IsBucket) continue;
                    if (References.TryLabelKey(e.Key, out var key) && References.TryLabelValue(e.Value, out var value))
                    {
                        if (count == _labels.Length) Array.Resize(ref _labels, count * 2);
                        _labels[count++] = new KeyValuePair<string, string>(key, value);
                    }
                    else problem($"the pair {BoltBytes.Describe(e.Key)} of {bucket.Path} is not UTF-8 text; it is left out");
                }
                var result = new KeyValuePair<string, string>[count];
                Array.Copy(_labels, result, count);
                Array.Clear(_labels, 0, count);
                ContainerdContentReferences.SortOrdinal(result);
                return result;
            }
        }
    }
}
