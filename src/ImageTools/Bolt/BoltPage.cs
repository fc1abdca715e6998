using System;
using System.Buffers.Binary;

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

        /// <summary>A page of the file (<paramref name="inlineOf"/> null) or the inline page of a bucket.</summary>
        internal BoltPage(ReadOnlyMemory<byte> data, int start, int end, ulong id, BoltBucket? inlineOf)
        {
            _data = data;
            _inlineOf = inlineOf;
            Start = start;
            End = end;
            Id = id;
            var header = data.Span.Slice(start, HeaderSize);
            HeaderId = BinaryPrimitives.ReadUInt64LittleEndian(header);
            Flags = BinaryPrimitives.ReadUInt16LittleEndian(header.Slice(8));
            Count = BinaryPrimitives.ReadUInt16LittleEndian(header.Slice(10));
            Overflow = BinaryPrimitives.ReadUInt32LittleEndian(header.Slice(12));
        }

        /// <summary>Offset of the page header in the file.</summary>
        internal int Start { get; }

        /// <summary>Offset just past the last byte that belongs to this page.</summary>
        internal int End { get; }

        /// <summary>The page id it was reached by (0 for an inline page).</summary>
        internal ulong Id { get; }

        /// <summary>Describes the page for messages ("page 12", "the inline page of bucket 'v1/default/leases/x'"), built only when needed.</summary>
        internal string Where => _inlineOf == null ? $"page {Id}" : $"the inline page of bucket {_inlineOf.ShowPath}";

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

        /// <summary>Branch element i: the key (offset, length into the file) and the child page id.</summary>
        internal (int KeyStart, int KeyLength, ulong Child) BranchElement(int i, string source)
        {
            int element = Start + HeaderSize + i * ElementSize;
            var e = _data.Span.Slice(element, ElementSize);
            uint pos = BinaryPrimitives.ReadUInt32LittleEndian(e);
            uint ksize = BinaryPrimitives.ReadUInt32LittleEndian(e.Slice(4));
            ulong child = BinaryPrimitives.ReadUInt64LittleEndian(e.Slice(8));
            int keyStart = CheckRange(source, i, element, pos, ksize, 0, out _);
            return (keyStart, (int)ksize, child);
        }

        /// <summary>Leaf element i: flags, key and value (offsets and lengths into the file).</summary>
        internal (uint Flags, int KeyStart, int KeyLength, int ValueStart, int ValueLength) LeafElement(int i, string source)
        {
            int element = Start + HeaderSize + i * ElementSize;
            var e = _data.Span.Slice(element, ElementSize);
            uint flags = BinaryPrimitives.ReadUInt32LittleEndian(e);
            uint pos = BinaryPrimitives.ReadUInt32LittleEndian(e.Slice(4));
            uint ksize = BinaryPrimitives.ReadUInt32LittleEndian(e.Slice(8));
            uint vsize = BinaryPrimitives.ReadUInt32LittleEndian(e.Slice(12));
            int keyStart = CheckRange(source, i, element, pos, ksize, vsize, out int valueStart);
            return (flags, keyStart, (int)ksize, valueStart, (int)vsize);
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

        internal BoltFormatException Corrupt(string source, string problem) =>
            new BoltFormatException(source, BoltErrorKind.CorruptPage, problem, Id == 0 ? (ulong?)null : Id);
    }
}
