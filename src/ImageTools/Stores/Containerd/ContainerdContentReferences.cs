using System;
using System.Collections.Generic;
using ImageTools.Bolt;
using ImageTools.Oci;

namespace ImageTools.Stores.Containerd
{
    /// <summary>
    /// How the content records of a namespace refer to each other (a walk of its own, made when a listing first needs
    /// it): what each referred digest is, as far as references tell; and, for the listing that follows, what that walk
    /// read of the records kept out of line (<see cref="TakeReadAhead"/>).
    /// </summary>
    internal sealed class ContainerdContentReferences
    {
        private static readonly byte[] ContentRefPrefix = BoltBytes.Utf8(ContainerdLabels.ContentRefPrefix);
        private static readonly byte[] ConfigRefSuffix = BoltBytes.Utf8(ContainerdLabels.ConfigRef.Substring(ContainerdLabels.ContentRefPrefix.Length));
        private static readonly byte[] LayerRefSuffix = BoltBytes.Utf8(ContainerdLabels.LayerRefPrefix.Substring(ContainerdLabels.ContentRefPrefix.Length));
        private static readonly byte[] ManifestRefSuffix = BoltBytes.Utf8(ContainerdLabels.ManifestRefPrefix.Substring(ContainerdLabels.ContentRefPrefix.Length));
        private static readonly byte[] Sha256Prefix = BoltBytes.Utf8("sha256:");

        /// <summary>
        /// How many bytes (estimated) the records read ahead may hold: about 120,000 records of two labels. Past it a
        /// record is read again by the listing, so memory stays bounded whatever the size of the namespace.
        /// </summary>
        internal static long ReadAheadBudget = 16L << 20;

        private bool _collected;
        private readonly Dictionary<Digest, Referral> _referredAs = new Dictionary<Digest, Referral>();
        private readonly HashSet<Digest> _children = new HashSet<Digest>();
        // by the page of the record's tree (a boxed page id)
        private readonly Dictionary<object, Kept> _readAhead = new Dictionary<object, Kept>();
        private readonly Dictionary<string, string> _texts = new Dictionary<string, string>(StringComparer.Ordinal);
        private long _readAheadBytes;

        /// <summary>Every digest a reference label names, by its text: parsed once, shared by the records.</summary>
        internal Dictionary<string, Digest> Known { get; } = new Dictionary<string, Digest>(StringComparer.Ordinal);

        /// <summary>What the reference walk read of a record kept out of line: its raw size and times (null: absent), and its labels (null: no labels bucket).</summary>
        internal sealed class ReadAhead
        {
            internal ReadAhead(ReadOnlyMemory<byte>? size, ReadOnlyMemory<byte>? createdAt, ReadOnlyMemory<byte>? updatedAt, KeyValuePair<string, string>[]? labels)
            {
                Size = size;
                CreatedAt = createdAt;
                UpdatedAt = updatedAt;
                Labels = labels;
            }

            internal ReadOnlyMemory<byte>? Size { get; }
            internal ReadOnlyMemory<byte>? CreatedAt { get; }
            internal ReadOnlyMemory<byte>? UpdatedAt { get; }
            internal KeyValuePair<string, string>[]? Labels { get; }
        }

        // The collections below hold reference types only: the runtime's shared code for them is precompiled, where a
        // collection of a struct of ours (or of a tuple) is compiled on first use, in the new session's first listing.

        /// <summary>Where a record's raw values lie in the arena (a length of -1: absent), and its labels; kept small, one per record read ahead.</summary>
        private sealed class Kept
        {
            internal Kept(int chunk, int offset, sbyte size, sbyte created, sbyte updated, KeyValuePair<string, string>[]? labels)
            {
                Chunk = chunk;
                Offset = offset;
                SizeLength = size;
                CreatedLength = created;
                UpdatedLength = updated;
                Labels = labels;
            }

            internal int Chunk { get; }
            internal int Offset { get; }
            internal sbyte SizeLength { get; }
            internal sbyte CreatedLength { get; }
            internal sbyte UpdatedLength { get; }
            internal KeyValuePair<string, string>[]? Labels { get; }
        }

        private const int ArenaChunk = 256 << 10;
        private readonly List<byte[]> _arena = new List<byte[]>();
        private int _arenaUsed = ArenaChunk;

        /// <summary>Forgets everything: the database was read again.</summary>
        internal void Reset()
        {
            _collected = false;
            _referredAs.Clear();
            _children.Clear();
            _readAhead.Clear();
            _readAheadBytes = 0;
            _arena.Clear();
            _arenaUsed = ArenaChunk;
            Known.Clear();
        }

        /// <summary>The one copy of a label key text: label keys repeat from record to record.</summary>
        internal string Shared(string text)
        {
            if (_texts.TryGetValue(text, out var kept)) return kept;
            _texts.Add(text, text);
            return text;
        }

        /// <summary>A label value, as the text of the digest already parsed when it names one (one layer is named by many manifests).</summary>
        internal string SharedValue(string text) => Known.TryGetValue(text, out var d) ? d.ToString() : text;

        /// <summary>What the reference walk read of the record whose tree is rooted at <paramref name="page"/>, or null; handed out once.</summary>
        internal ReadAhead? TakeReadAhead(ulong page)
        {
            if (_readAhead.Count == 0) return null;
            object key = page;
            if (!_readAhead.TryGetValue(key, out var kept)) return null;
            _readAhead.Remove(key);
            var chunk = _arena[kept.Chunk];
            int at = kept.Offset;
            ReadOnlyMemory<byte>? Next(sbyte length)
            {
                if (length < 0) return null;
                var slice = new ReadOnlyMemory<byte>(chunk, at, length);
                at += length;
                return slice;
            }
            var size = Next(kept.SizeLength);
            var created = Next(kept.CreatedLength);
            var updated = Next(kept.UpdatedLength);
            return new ReadAhead(size, created, updated, kept.Labels);
        }

        /// <summary>The kind references give <paramref name="digest"/>; the first call reads the references of <paramref name="blobs"/>.</summary>
        internal ContainerdContentKind KindOf(Digest digest, Func<BoltBucket?> blobs)
        {
            if (!_collected) Collect(blobs());
            return _referredAs.TryGetValue(digest, out var referred) ? referred.Kind
            : _children.Contains(digest) ? ContainerdContentKind.Manifest
            : ContainerdContentKind.Unknown;
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
        /// follows record order (each record's place in the walk is kept with its references). What is read of such
        /// a record is kept for the listing (<see cref="TakeReadAhead"/>), within <see cref="ReadAheadBudget"/>.
        /// </remarks>
        private void Collect(BoltBucket? blobs)
        {
            _collected = true;
            if (blobs == null) return;
            var outOfLine = new List<OutOfLine>();
            int order = 0;
            foreach (var entry in blobs.Entries())
            {
                // a record that is not a digest is left out of the listing, and so are its references
                if (!entry.IsBucket || !IsDigest(entry)) continue;
                var record = entry.OpenBucket()!;
                if (record.IsInline) CollectRecord(record, order++, keep: false);
                // opened now, while its leaf is mapped: opening it later would touch the leaf again out of order
                else outOfLine.Add(new OutOfLine(order++, record));
            }
            outOfLine.Sort((a, b) => a.Record.RootPageId.CompareTo(b.Record.RootPageId));
            foreach (var r in outOfLine) CollectRecord(r.Record, r.Order, keep: true);
        }

        private void CollectRecord(BoltBucket record, int order, bool keep)
        {
            ReadOnlyMemory<byte>? size = null, created = null, updated = null;
            BoltBucket? labels = null;
            foreach (var e in record.Entries())
            {
                var k = e.Key.Span;
                if (e.IsBucket) { if (k.SequenceEqual(ContainerdMetadata.Labels)) labels = e.OpenBucket(); }
                else if (k.SequenceEqual(ContainerdEncoding.Size)) size = e.Value;
                else if (k.SequenceEqual(ContainerdEncoding.CreatedAt)) created = e.Value;
                else if (k.SequenceEqual(ContainerdEncoding.UpdatedAt)) updated = e.Value;
            }
            List<BoltPair>? pairs = null;
            if (labels != null)
            {
                pairs = new List<BoltPair>();
                foreach (var pair in labels.EnumeratePairs())
                {
                    pairs.Add(pair);
                    AddReference(pair.Key.Span, pair.Value, order);
                }
            }
            if (keep) KeepReadAhead(record.RootPageId, size, created, updated, pairs);
        }

        private void AddReference(ReadOnlySpan<byte> key, ReadOnlyMemory<byte> value, int order)
        {
            if (!key.StartsWith(ContentRefPrefix)) return;
            var rest = key.Slice(ContentRefPrefix.Length);
            bool config = rest.SequenceEqual(ConfigRefSuffix);
            bool layer = !config && rest.StartsWith(LayerRefSuffix);
            bool child = !config && !layer && (rest.StartsWith(ManifestRefSuffix) || IsNumber(rest));
            if (!config && !layer && !child) return;
            if (!IsAscii(rest) || !BoltBytes.TryToText(value, out var text)) return;
            if (!Known.TryGetValue(text, out var digest))
            {
                if (!Digest.TryParse(text, out digest)) return;
                Known.Add(text, digest!);
            }
            if (child) _children.Add(digest!);
            // within a record the first reference in key order wins; across records the earliest record
            else if (!_referredAs.TryGetValue(digest!, out var had) || order < had.Order)
                _referredAs[digest!] = new Referral(order, config ? ContainerdContentKind.Config : ContainerdContentKind.Layer);
        }

        /// <summary>
        /// Keeps a copy of what the listing needs of a record, as the listing would decode it; a record with a label
        /// that is not UTF-8 text is not kept (the listing reads it again and reports it).
        /// </summary>
        private void KeepReadAhead(ulong page, ReadOnlyMemory<byte>? size, ReadOnlyMemory<byte>? created, ReadOnlyMemory<byte>? updated,
            List<BoltPair>? pairs)
        {
            object key = page;
            if (_readAheadBytes >= ReadAheadBudget || _readAhead.ContainsKey(key)) return;
            // containerd's values are a few bytes (a varint, a Go binary time): anything longer is left to the listing
            if (Length(size) > sbyte.MaxValue || Length(created) > sbyte.MaxValue || Length(updated) > sbyte.MaxValue) return;
            long cost = 104;
            KeyValuePair<string, string>[]? labels = null;
            if (pairs != null)
            {
                labels = new KeyValuePair<string, string>[pairs.Count];
                cost += 24;
                for (int i = 0; i < labels.Length; i++)
                {
                    if (!BoltBytes.TryToText(pairs[i].Key, out var name) || !BoltBytes.TryToText(pairs[i].Value, out var value)) return;
                    string shared = SharedValue(value);
                    labels[i] = new KeyValuePair<string, string>(Shared(name), shared);
                    cost += 16 + (ReferenceEquals(shared, value) ? 24 + 2 * value.Length : 0);
                }
            }
            int raw = Math.Max(0, Length(size)) + Math.Max(0, Length(created)) + Math.Max(0, Length(updated));
            if (_arenaUsed + raw > ArenaChunk)
            {
                _arena.Add(new byte[ArenaChunk]);
                _arenaUsed = 0;
            }
            var chunk = _arena[_arena.Count - 1];
            int offset = _arenaUsed;
            void Copy(ReadOnlyMemory<byte>? value)
            {
                if (value == null) return;
                value.Value.Span.CopyTo(chunk.AsSpan(_arenaUsed));
                _arenaUsed += value.Value.Length;
            }
            Copy(size);
            Copy(created);
            Copy(updated);
            _readAhead.Add(key, new Kept(_arena.Count - 1, offset, (sbyte)Length(size), (sbyte)Length(created), (sbyte)Length(updated), labels));
            _readAheadBytes += cost + raw;
        }

        private static int Length(ReadOnlyMemory<byte>? value) => value == null ? -1 : value.Value.Length;

        /// <summary>Which reference named a digest first: the record's place in key order, and the kind it gives.</summary>
        private sealed class Referral
        {
            internal Referral(int order, ContainerdContentKind kind)
            {
                Order = order;
                Kind = kind;
            }

            internal int Order { get; }
            internal ContainerdContentKind Kind { get; }
        }

        /// <summary>A record kept out of line, with its place in key order.</summary>
        private sealed class OutOfLine
        {
            internal OutOfLine(int order, BoltBucket record)
            {
                Order = order;
                Record = record;
            }

            internal int Order { get; }
            internal BoltBucket Record { get; }
        }

        /// <summary>Whether a record key is a digest, without making a string of the common sha256 key.</summary>
        private static bool IsDigest(BoltEntry record)
        {
            var key = record.Key.Span;
            if (key.Length == 71 && key.StartsWith(Sha256Prefix) && Hex.IsLowerHex(key.Slice(Sha256Prefix.Length))) return true;
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
