using System;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace ImageTools.Bolt
{
    /// <summary>
    /// A branch or leaf page inside the in-memory file: the 16-byte header {id u64, flags u16, count u16, overflow u32}
    /// followed by <see cref="Count"/> 16-byte elements whose <c>pos</c> is relative to the element's own address
    /// (etcd-io/bbolt internal/common/page.go). A page of a file spans (overflow+1) pages; an inline bucket's page
    /// spans its value. Every element accessor checks that what it returns lies inside that span.
    /// </summary>
    internal readonly struct BoltPage
    {
        internal const int HeaderSize = 16;
        internal const int ElementSize = 16;
        internal const ushort BranchFlag = 0x01;
        internal const ushort LeafFlag = 0x02;
        internal const ushort MetaFlag = 0x04;
        internal const ushort FreelistFlag = 0x10;

        private readonly ReadOnlyMemory<byte> _data;
        private readonly BoltBucket? _inlineOf;
        private readonly string? _nestedWhere;

        /// <summary>A page of the file (<paramref name="inlineOf"/> null) or the inline page of a bucket.</summary>
        internal BoltPage(ReadOnlyMemory<byte> data, int start, int end, ulong id, BoltBucket? inlineOf)
        {
            _data = data;
            _inlineOf = inlineOf;
            _nestedWhere = null;
            Start = start;
            End = end;
            Id = id;
            var header = data.Span.Slice(start, HeaderSize);
            HeaderId = BinaryPrimitives.ReadUInt64LittleEndian(header);
            Flags = BinaryPrimitives.ReadUInt16LittleEndian(header.Slice(8));
            Count = BinaryPrimitives.ReadUInt16LittleEndian(header.Slice(10));
            Overflow = BinaryPrimitives.ReadUInt32LittleEndian(header.Slice(12));
        }

        /// <summary>The inline page of a bucket that is an element of another page, checked with that page.</summary>
        private BoltPage(ReadOnlyMemory<byte> data, int start, int end, string nestedWhere) : this(data, start, end, 0, null)
        {
            _nestedWhere = nestedWhere;
        }

        private bool IsInlinePage => _inlineOf != null || _nestedWhere != null;

        /// <summary>Offset of the page header in the file.</summary>
        internal int Start { get; }

        /// <summary>Offset just past the last byte that belongs to this page.</summary>
        internal int End { get; }

        /// <summary>The page id it was reached by (0 for an inline page).</summary>
        internal ulong Id { get; }

        /// <summary>Describes the page for messages ("page 12", "the inline page of bucket 'v1/default/leases/x'"), built only when needed.</summary>
        internal string Where => _nestedWhere ?? (_inlineOf == null ? $"page {Id}" : $"the inline page of bucket {_inlineOf.ShowPath}");

        internal ulong HeaderId { get; }
        internal ushort Flags { get; }
        internal int Count { get; }
        internal uint Overflow { get; }

        internal bool IsBranch => Flags == BranchFlag;
        internal bool IsLeaf => Flags == LeafFlag;

        internal static string DescribeFlags(ushort flags)
        {
            switch (flags)
            {
                case BranchFlag: return "branch";
                case LeafFlag: return "leaf";
                case MetaFlag: return "meta";
                case FreelistFlag: return "freelist";
                default: return "unknown";
            }
        }

        /// <summary>Checks that the element array fits in the page.</summary>
        internal void CheckElementArray(string source)
        {
            long elementsEnd = (long)Start + HeaderSize + (long)Count * ElementSize;
            if (elementsEnd > End)
                throw Corrupt(source, $"{Where} claims {Count} elements, which do not fit in its {End - Start} bytes");
        }

        /// <summary>
        /// Checks the layout bbolt writes (node.write): the keys and values follow the element array in element order,
        /// each right after the one before, and a leaf element's flags are 0 or 1 (a nested bucket). bbolt keeps no
        /// checksum of its pages, so this is what tells a damaged count, pos, size or flag from a real page.
        /// </summary>
        [MethodImpl(HotPath.Optimized)]
        internal void CheckLayout(string source, int nesting = 0)
        {
            // the messages are made by LayoutProblem, out of this method: it is compiled in every new session
            CheckElementArray(source);
            var span = _data.Span;
            long expected = (long)Start + HeaderSize + (long)Count * ElementSize;
            bool leaf = IsLeaf;
            for (int i = 0; i < Count; i++)
            {
                int element = Start + HeaderSize + i * ElementSize;
                var e = span.Slice(element, ElementSize);
                uint flags = 0, pos, ksize, vsize = 0;
                if (leaf)
                {
                    flags = BinaryPrimitives.ReadUInt32LittleEndian(e);
                    pos = BinaryPrimitives.ReadUInt32LittleEndian(e.Slice(4));
                    ksize = BinaryPrimitives.ReadUInt32LittleEndian(e.Slice(8));
                    vsize = BinaryPrimitives.ReadUInt32LittleEndian(e.Slice(12));
                }
                else
                {
                    pos = BinaryPrimitives.ReadUInt32LittleEndian(e);
                    ksize = BinaryPrimitives.ReadUInt32LittleEndian(e.Slice(4));
                }
                long keyStart = element + (long)pos;
                long end = keyStart + ksize + vsize;
                if ((flags & ~1u) != 0 || keyStart != expected || ksize == 0 || end > End)
                    throw LayoutProblem(source, i, flags, keyStart, expected, ksize, vsize);
                expected = end;
                if ((flags & 1) != 0) CheckNestedBucket(source, i, (int)(keyStart + ksize), (int)vsize, nesting);
            }
            // An inline page is exactly as long as what was written to it. A page of the file is written whole from a
            // zeroed buffer (bbolt clears its page buffers before reusing them), so what follows the last value is zeros:
            // a last element whose key or value grew would read into it.
            if (IsInlinePage)
            {
                if (expected != End) throw TrailingProblem(source, expected);
            }
            else if (Count > 0 && !IsZero(span.Slice((int)expected, End - (int)expected))) throw TrailingProblem(source, expected);
        }

        /// <summary>What is wrong with element <paramref name="i"/>, in the order the checks are made.</summary>
        private BoltFormatException LayoutProblem(string source, int i, uint flags, long keyStart, long expected, uint ksize, uint vsize)
        {
            if ((flags & ~1u) != 0)
                return Corrupt(source, $"element {i} of {Where} has flags 0x{flags:x}; a leaf element is a value (0) or a bucket (1)");
            if (keyStart != expected)
                return Corrupt(source, $"element {i} of {Where} points outside its place in the page: its key is at +{keyStart - Start}, but bbolt writes it right after " +
                    (i == 0 ? "the element array" : $"element {i - 1}'s value") + $", at +{expected - Start}");
            if (ksize == 0)
                return Corrupt(source, $"element {i} of {Where} has an empty key");
            return Corrupt(source, $"element {i} of {Where} points outside the page ({ksize}+{vsize} bytes at +{keyStart - Start}, page is {End - Start} bytes)");
        }

        private BoltFormatException TrailingProblem(string source, long expected) => IsInlinePage
            ? Corrupt(source, $"{Where} holds {End - expected} bytes after its last element, which bbolt never writes")
            : Corrupt(source, $"{Where} has bytes after its last element's value (at +{expected - Start}), where bbolt leaves zeros: the last element's size or the element count is damaged");

        // The two accessors below return structs of this assembly, not tuples: the precompiled (ReadyToRun) image holds
        // no code for a tuple of these types, and a new session compiled and called its constructor for every element.

        /// <summary>Branch element i: the key (offset, length into the file) and the child page id.</summary>
        internal BoltBranchElement BranchElement(int i, string source)
        {
            int element = Start + HeaderSize + i * ElementSize;
            var e = _data.Span.Slice(element, ElementSize);
            uint pos = BinaryPrimitives.ReadUInt32LittleEndian(e);
            uint ksize = BinaryPrimitives.ReadUInt32LittleEndian(e.Slice(4));
            ulong child = BinaryPrimitives.ReadUInt64LittleEndian(e.Slice(8));
            int keyStart = CheckRange(source, i, element, pos, ksize, 0, out _);
            return new BoltBranchElement(keyStart, (int)ksize, child);
        }

        /// <summary>Leaf element i: flags, key and value (offsets and lengths into the file), with the given ancestry.</summary>
        internal BoltLeafElement LeafElement(int i, string source, BoltAncestry? ancestry = null)
        {
            int element = Start + HeaderSize + i * ElementSize;
            var e = _data.Span.Slice(element, ElementSize);
            uint flags = BinaryPrimitives.ReadUInt32LittleEndian(e);
            uint pos = BinaryPrimitives.ReadUInt32LittleEndian(e.Slice(4));
            uint ksize = BinaryPrimitives.ReadUInt32LittleEndian(e.Slice(8));
            uint vsize = BinaryPrimitives.ReadUInt32LittleEndian(e.Slice(12));
            int keyStart = CheckRange(source, i, element, pos, ksize, vsize, out int valueStart);
            return new BoltLeafElement(flags, keyStart, (int)ksize, valueStart, (int)vsize, ancestry);
        }

        private int CheckRange(string source, int i, int element, uint pos, uint ksize, uint vsize, out int valueStart)
        {
            long elementsEnd = (long)Start + HeaderSize + (long)Count * ElementSize;
            long keyStart = element + (long)pos;
            long valueEnd = keyStart + ksize + vsize;
            if (keyStart < elementsEnd || valueEnd > End)
                throw Corrupt(source, $"element {i} of {Where} points outside the page (key at +{keyStart - Start}, " +
                    $"{ksize}+{vsize} bytes, page is {End - Start} bytes)");
            valueStart = (int)(keyStart + ksize);
            return (int)keyStart;
        }

        /// <summary>
        /// A bucket element's value: a 16-byte header (root page, sequence) and, for an inline bucket (root 0), its page,
        /// checked here at once so that a damaged key or value size, which shifts the value, is seen when the page is read.
        /// </summary>
        private void CheckNestedBucket(string source, int i, int valueStart, int valueLength, int nesting)
        {
            const int BucketHeader = 16;
            if (valueLength < BucketHeader)
                throw Corrupt(source, $"element {i} of {Where} is a bucket whose value is {valueLength} bytes, shorter than a bucket header");
            if (BinaryPrimitives.ReadUInt64LittleEndian(_data.Span.Slice(valueStart, 8)) != 0) return;
            if (valueLength < BucketHeader + HeaderSize)
                throw Corrupt(source, $"element {i} of {Where} is an inline bucket of {valueLength} bytes, too short for its page header");
            if (nesting >= BoltTree.MaxNesting)
                throw new BoltFormatException(source, BoltErrorKind.TooDeep, $"inline buckets are nested more than {BoltTree.MaxNesting} deep in {Where}", Id == 0 ? (ulong?)null : Id);
            var inline = new BoltPage(_data, valueStart + BucketHeader, valueStart + valueLength, $"the inline page of element {i} of {Where}");
            if (!inline.IsLeaf)
                throw Corrupt(source, $"{inline.Where} has flags 0x{inline.Flags:x2} ({DescribeFlags(inline.Flags)}), expected a leaf page");
            inline.CheckLayout(source, nesting + 1);
        }

        private static readonly byte[] Zeros = new byte[4096];

        // compared a block at a time with SequenceEqual, which is vectorized: a byte loop here was a fifth of a listing
        private static bool IsZero(ReadOnlySpan<byte> bytes)
        {
            while (bytes.Length > 0)
            {
                int n = Math.Min(bytes.Length, Zeros.Length);
                if (!bytes.Slice(0, n).SequenceEqual(Zeros.AsSpan(0, n))) return false;
                bytes = bytes.Slice(n);
            }
            return true;
        }

        internal BoltFormatException Corrupt(string source, string problem) =>
            new BoltFormatException(source, BoltErrorKind.CorruptPage, problem, Id == 0 ? (ulong?)null : Id);
    }
}
