using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
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
        // every digest a label names, by its text (parsed once, shared by the records), with what references say of it
        private readonly AsciiTextTable _digests = new AsciiTextTable();
        // the label keys met, by their bytes: they repeat from record to record
        private readonly AsciiTextTable _labelKeys = new AsciiTextTable();
        // what the reference walk kept of the records out of line, by the page of the record's tree, in page order
        private ulong[] _readAheadPages = Array.Empty<ulong>();
        private Kept?[] _readAheadKept = Array.Empty<Kept?>();
        private int _readAheadCount;
        private long _readAheadBytes;

        /// <summary>A digest some record's label names (or that a record's labels were found to name), and what the references say of it.</summary>
        internal sealed class Reference : TextEntry
        {
            internal Reference(Digest digest, uint hash) : base(digest.ToString(), hash) { Digest = digest; }

            internal Digest Digest { get; }

            /// <summary>The place in key order of the record whose reference gave <see cref="Kind"/> (the earliest wins).</summary>
            internal int Order { get; set; } = int.MaxValue;

            /// <summary>Config or Layer when a manifest names it so; Unknown otherwise.</summary>
            internal ContainerdContentKind Kind { get; set; }

            /// <summary>An index names it as one of its manifests.</summary>
            internal bool Child { get; set; }
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
            _digests.Clear();
            Array.Clear(_readAheadKept, 0, _readAheadKept.Length);
            _readAheadCount = 0;
            _readAheadBytes = 0;
            _arena.Clear();
            _arenaUsed = ArenaChunk;
        }

        /// <summary>The digest whose text is <paramref name="text"/> when a label named it already, else null.</summary>
        internal Reference? Find(ReadOnlySpan<byte> text) => _digests.Find(text) as Reference;

        /// <summary>The digest whose text is <paramref name="text"/>, parsed once per namespace; null (with <paramref name="reason"/>) when it is not a digest.</summary>
        internal Digest? Parse(string text, out string? reason)
        {
            reason = null;
            if (_digests.Find(text) is Reference known) return known.Digest;
            if (!Digest.TryParse(text, out var digest, out reason)) return null;
            // a digest's text is ASCII (its grammar says so)
            if (AsciiTextTable.TryHash(text, out uint hash)) _digests.Add(new Reference(digest!, hash));
            return digest;
        }

        /// <summary>The one copy of a label key: label keys repeat from record to record.</summary>
        internal bool TryLabelKey(ReadOnlyMemory<byte> bytes, out string text)
        {
            var span = bytes.Span;
            bool ascii = AsciiTextTable.IsAscii(span);
            if (ascii)
            {
                uint hash = AsciiTextTable.Hash(span);
                if (_labelKeys.Find(span, hash) is TextEntry kept) { text = kept.Text; return true; }
                if (!BoltBytes.TryToText(bytes, out text)) return false;
                // a namespace has few label keys; past a bound (a layer reference per layer) they are not kept
                if (_labelKeys.Count < 4096) _labelKeys.Add(new TextEntry(text, hash));
                return true;
            }
            return BoltBytes.TryToText(bytes, out text);
        }

        /// <summary>A label value, as the text of the digest already parsed when it names one (one layer is named by many manifests).</summary>
        internal bool TryLabelValue(ReadOnlyMemory<byte> bytes, out string text) => TryLabelValue(bytes, out text, out _);

        private bool TryLabelValue(ReadOnlyMemory<byte> bytes, out string text, out bool shared)
        {
            var known = _digests.Find(bytes.Span);
            shared = known != null;
            if (known != null) { text = known.Text; return true; }
            return BoltBytes.TryToText(bytes, out text);
        }

        /// <summary>What the reference walk read of the record whose tree is rooted at <paramref name="page"/> (false: nothing); handed out once.</summary>
        /// <param name="page">The page of the record's tree.</param>
        /// <param name="size">Its raw size (null: absent).</param>
        /// <param name="createdAt">Its raw creation time (null: absent).</param>
        /// <param name="updatedAt">Its raw update time (null: absent).</param>
        /// <param name="labels">Its labels ordered by key (null: no labels bucket).</param>
        internal bool TakeReadAhead(ulong page, out ReadOnlyMemory<byte>? size, out ReadOnlyMemory<byte>? createdAt, out ReadOnlyMemory<byte>? updatedAt,
            out KeyValuePair<string, string>[]? labels)
        {
            size = createdAt = updatedAt = null;
            labels = null;
            if (_readAheadCount == 0) return false;
            int at = IndexOfPage(page);
            if (at < 0 || !(_readAheadKept[at] is Kept kept)) return false;
            _readAheadKept[at] = null;
            var chunk = _arena[kept.Chunk];
            int offset = kept.Offset;
            size = Slice(chunk, ref offset, kept.SizeLength);
            createdAt = Slice(chunk, ref offset, kept.CreatedLength);
            updatedAt = Slice(chunk, ref offset, kept.UpdatedLength);
            labels = kept.Labels;
            return true;
        }

        // by hand: Array.BinarySearch of ulong is generic code that a new session compiles
        private int IndexOfPage(ulong page)
        {
            int lo = 0, hi = _readAheadCount - 1;
            while (lo <= hi)
            {
                int mid = lo + (hi - lo) / 2;
                ulong p = _readAheadPages[mid];
                if (p == page) return mid;
                if (p < page) lo = mid + 1; else hi = mid - 1;
            }
            return -1;
        }

        private static ReadOnlyMemory<byte>? Slice(byte[] chunk, ref int offset, sbyte length)
        {
            if (length < 0) return null;
            var slice = new ReadOnlyMemory<byte>(chunk, offset, length);
            offset += length;
            return slice;
        }

        /// <summary>The kind references give <paramref name="digest"/>; the first call reads the references of <paramref name="blobs"/>.</summary>
        /// <param name="digest">The record's digest.</param>
        /// <param name="found">What <see cref="Find"/> said of the digest's text (after the walk, no other reference can be made of it).</param>
        /// <param name="blobs">The records, for the walk.</param>
        internal ContainerdContentKind KindOf(Digest digest, Reference? found, Func<BoltBucket?> blobs)
        {
            if (!_collected)
            {
                Collect(blobs());
                found = _digests.Find(digest.ToString()) as Reference;
            }
            if (!(found is Reference r)) return ContainerdContentKind.Unknown;
            return r.Kind != ContainerdContentKind.Unknown ? r.Kind : r.Child ? ContainerdContentKind.Manifest : ContainerdContentKind.Unknown;
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
                // a record without a labels bucket names nothing: one kept inline has none (bbolt keeps a bucket with a
                // nested bucket out of line), and it is not opened
                if (entry.IsInlineWithoutBuckets()) { order++; continue; }
                var record = entry.OpenBucket()!;
                if (record.IsInline) CollectRecord(record, order++, keep: false);
                // opened now, while its leaf is mapped: opening it later would touch the leaf again out of order
                else outOfLine.Add(new OutOfLine(order++, record));
            }
            outOfLine.Sort((a, b) => a.Record.RootPageId.CompareTo(b.Record.RootPageId));
            if (_readAheadPages.Length < outOfLine.Count)
            {
                _readAheadPages = new ulong[outOfLine.Count];
                _readAheadKept = new Kept?[outOfLine.Count];
            }
            foreach (var r in outOfLine) CollectRecord(r.Record, r.Order, keep: true);
        }

        [MethodImpl(HotPath.Optimized)]
        private void CollectRecord(BoltBucket record, int order, bool keep)
        {
            ReadOnlyMemory<byte>? size = null, created = null, updated = null;
            BoltBucket? labels = null;
            foreach (var e in record.Cursor())
            {
                var k = e.Key.Span;
                if (e.IsBucket) { if (k.SequenceEqual(ContainerdMetadata.Labels)) labels = e.OpenBucket(); }
                else if (k.SequenceEqual(ContainerdEncoding.Size)) size = e.Value;
                else if (k.SequenceEqual(ContainerdEncoding.CreatedAt)) created = e.Value;
                else if (k.SequenceEqual(ContainerdEncoding.UpdatedAt)) updated = e.Value;
            }
            _pairCount = 0;
            if (labels != null)
            {
                foreach (var e in labels.Cursor())
                {
                    if (e.IsBucket) continue;
                    if (_pairCount == _pairKeys.Length)
                    {
                        Array.Resize(ref _pairKeys, _pairCount * 2);
                        Array.Resize(ref _pairValues, _pairCount * 2);
                    }
                    _pairKeys[_pairCount] = e.Key;
                    _pairValues[_pairCount] = e.Value;
                    _pairCount++;
                    AddReference(e.Key.Span, e.Value, order);
                }
            }
            if (keep) KeepReadAhead(record.RootPageId, size, created, updated, labels != null);
        }

        // the label pairs of the record being read (slices of the file), reused from record to record
        private ReadOnlyMemory<byte>[] _pairKeys = new ReadOnlyMemory<byte>[8];
        private ReadOnlyMemory<byte>[] _pairValues = new ReadOnlyMemory<byte>[8];
        private int _pairCount;

        [MethodImpl(HotPath.Optimized)]
        private void AddReference(ReadOnlySpan<byte> key, ReadOnlyMemory<byte> value, int order)
        {
            if (!key.StartsWith(ContentRefPrefix)) return;
            var rest = key.Slice(ContentRefPrefix.Length);
            bool config = rest.SequenceEqual(ConfigRefSuffix);
            bool layer = !config && rest.StartsWith(LayerRefSuffix);
            bool child = !config && !layer && (rest.StartsWith(ManifestRefSuffix) || IsNumber(rest));
            if (!config && !layer && !child) return;
            // a label key that is not UTF-8 is left out of the labels: the reference keys are ASCII
            if (!AsciiTextTable.IsAscii(rest)) return;
            var span = value.Span;
            uint hash = AsciiTextTable.Hash(span);
            if (!(_digests.Find(span, hash) is Reference reference))
            {
                if (!AsciiTextTable.IsAscii(span) || !BoltBytes.TryToText(value, out var text) || !Digest.TryParse(text, out var digest)) return;
                reference = new Reference(digest!, hash);
                _digests.Add(reference);
            }
            if (child) reference.Child = true;
            // within a record the first reference in key order wins; across records the earliest record
            else if (order < reference.Order)
            {
                reference.Order = order;
                reference.Kind = config ? ContainerdContentKind.Config : ContainerdContentKind.Layer;
            }
        }

        /// <summary>
        /// Keeps a copy of what the listing needs of a record, as the listing would decode it; a record with a label
        /// that is not UTF-8 text is not kept (the listing reads it again and reports it).
        /// </summary>
        [MethodImpl(HotPath.Optimized)]
        private void KeepReadAhead(ulong page, ReadOnlyMemory<byte>? size, ReadOnlyMemory<byte>? created, ReadOnlyMemory<byte>? updated,
            bool hasLabels)
        {
            // the records come in page order: a page met again (damage) is not kept twice
            if (_readAheadBytes >= ReadAheadBudget || (_readAheadCount > 0 && _readAheadPages[_readAheadCount - 1] >= page)) return;
            // containerd's values are a few bytes (a varint, a Go binary time): anything longer is left to the listing
            if (Length(size) > sbyte.MaxValue || Length(created) > sbyte.MaxValue || Length(updated) > sbyte.MaxValue) return;
            long cost = 104;
            KeyValuePair<string, string>[]? labels = null;
            if (hasLabels)
            {
                labels = new KeyValuePair<string, string>[_pairCount];
                cost += 24;
                for (int i = 0; i < labels.Length; i++)
                {
                    if (!TryLabelKey(_pairKeys[i], out var name) || !TryLabelValue(_pairValues[i], out var value, out bool shared)) return;
                    labels[i] = new KeyValuePair<string, string>(name, value);
                    cost += 16 + (shared ? 0 : 24 + 2 * value.Length);
                }
                SortOrdinal(labels);
            }
            int raw = Math.Max(0, Length(size)) + Math.Max(0, Length(created)) + Math.Max(0, Length(updated));
            if (_arenaUsed + raw > ArenaChunk)
            {
                _arena.Add(new byte[ArenaChunk]);
                _arenaUsed = 0;
            }
            var chunk = _arena[_arena.Count - 1];
            int offset = _arenaUsed;
            Copy(size, chunk, ref _arenaUsed);
            Copy(created, chunk, ref _arenaUsed);
            Copy(updated, chunk, ref _arenaUsed);
            _readAheadPages[_readAheadCount] = page;
            _readAheadKept[_readAheadCount] = new Kept(_arena.Count - 1, offset, (sbyte)Length(size), (sbyte)Length(created), (sbyte)Length(updated), labels);
            _readAheadCount++;
            _readAheadBytes += cost + raw;
        }

        private static void Copy(ReadOnlyMemory<byte>? value, byte[] chunk, ref int used)
        {
            if (value == null) return;
            value.Value.Span.CopyTo(chunk.AsSpan(used));
            used += value.Value.Length;
        }

        /// <summary>
        /// Puts labels read in bbolt's key order (bytewise UTF-8) in the order of a <see cref="LabelSet"/> (ordinal
        /// UTF-16), which differs only for keys beyond U+FFFF: the array is almost always sorted already.
        /// </summary>
        internal static void SortOrdinal(KeyValuePair<string, string>[] labels)
        {
            for (int i = 1; i < labels.Length; i++)
                if (string.CompareOrdinal(labels[i - 1].Key, labels[i].Key) > 0)
                {
                    // a stable sort (keys that are not UTF-8 can decode alike), not insertions: a record can hold many
                    // labels, and keys on both sides of U+FFFF would make insertions quadratic
                    var ordered = labels.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToArray();
                    Array.Copy(ordered, labels, labels.Length);
                    return;
                }
        }

        private static int Length(ReadOnlyMemory<byte>? value) => value == null ? -1 : value.Value.Length;

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

        private static bool IsNumber(ReadOnlySpan<byte> s)
        {
            if (s.IsEmpty) return false;
            foreach (var b in s) if (b < (byte)'0' || b > (byte)'9') return false;
            return true;
        }
    }
}
