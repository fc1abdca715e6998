using System;
using System.Buffers.Binary;

namespace ImageTools.Bolt
{
    /// <summary>
    /// One of the two meta pages of a bbolt file (pages 0 and 1). Layout after the 16-byte page header, little-endian:
    /// magic u32, version u32, pageSize u32, flags u32, root bucket {root pgid u64, sequence u64}, freelist pgid u64,
    /// high-water pgid u64, txid u64, checksum u64 = FNV-1a-64 of the 64 bytes before it
    /// (etcd-io/bbolt internal/common/meta.go).
    /// </summary>
    public sealed class BoltMeta
    {
        public const uint Magic = 0xED0CDAED;
        public const uint FormatVersion = 2;
        internal const int HeaderSize = 16;
        internal const int Size = 64;
        internal const ushort MetaPageFlag = 0x04;
        private const int ChecksumOffset = 56;

        private BoltMeta() { }

        /// <summary>0 or 1: which meta page this is.</summary>
        public int Index { get; private set; }

        /// <summary>Where the page starts in the file.</summary>
        public long Offset { get; private set; }

        public uint MagicValue { get; private set; }
        public uint Version { get; private set; }
        public uint PageSize { get; private set; }
        public uint Flags { get; private set; }
        public ulong RootPageId { get; private set; }
        public ulong RootSequence { get; private set; }
        public ulong FreelistPageId { get; private set; }

        /// <summary>The high-water mark: the first page id past the end of the database.</summary>
        public ulong HighWaterPageId { get; private set; }

        public ulong TxId { get; private set; }
        public ulong Checksum { get; private set; }

        /// <summary>Null when the meta page is valid, else why it is not.</summary>
        public string? Problem { get; private set; }

        public bool IsValid => Problem == null;

        /// <summary>Parses and validates the meta page that starts at <paramref name="offset"/>.</summary>
        internal static BoltMeta Read(ReadOnlySpan<byte> data, long offset, int index)
        {
            var meta = new BoltMeta { Index = index, Offset = offset };
            if (offset < 0 || offset + HeaderSize + Size > data.Length)
            {
                meta.Problem = $"meta page {index} at offset {offset} lies beyond the end of the file ({data.Length} bytes)";
                return meta;
            }
            var page = data.Slice((int)offset, HeaderSize + Size);
            ushort pageFlags = BinaryPrimitives.ReadUInt16LittleEndian(page.Slice(8));
            var m = page.Slice(HeaderSize);
            meta.MagicValue = BinaryPrimitives.ReadUInt32LittleEndian(m);
            meta.Version = BinaryPrimitives.ReadUInt32LittleEndian(m.Slice(4));
            meta.PageSize = BinaryPrimitives.ReadUInt32LittleEndian(m.Slice(8));
            meta.Flags = BinaryPrimitives.ReadUInt32LittleEndian(m.Slice(12));
            meta.RootPageId = BinaryPrimitives.ReadUInt64LittleEndian(m.Slice(16));
            meta.RootSequence = BinaryPrimitives.ReadUInt64LittleEndian(m.Slice(24));
            meta.FreelistPageId = BinaryPrimitives.ReadUInt64LittleEndian(m.Slice(32));
            meta.HighWaterPageId = BinaryPrimitives.ReadUInt64LittleEndian(m.Slice(40));
            meta.TxId = BinaryPrimitives.ReadUInt64LittleEndian(m.Slice(48));
            meta.Checksum = BinaryPrimitives.ReadUInt64LittleEndian(m.Slice(ChecksumOffset));

            if (meta.MagicValue != Magic)
                meta.Problem = $"meta page {index}: bad magic 0x{meta.MagicValue:X8} (expected 0x{Magic:X8})";
            else if (meta.Version != FormatVersion)
                meta.Problem = $"meta page {index}: unsupported format version {meta.Version} (expected {FormatVersion})";
            else if (Fnv1a64(m.Slice(0, ChecksumOffset)) != meta.Checksum)
                meta.Problem = $"meta page {index}: checksum mismatch (stored 0x{meta.Checksum:x16}, computed 0x{Fnv1a64(m.Slice(0, ChecksumOffset)):x16})";
            else if ((pageFlags & MetaPageFlag) == 0)
                meta.Problem = $"meta page {index}: page flags 0x{pageFlags:x4} lack the meta flag 0x04";
            else if (!IsPlausiblePageSize(meta.PageSize))
                meta.Problem = $"meta page {index}: implausible page size {meta.PageSize}";
            else if (meta.HighWaterPageId < 3 || meta.RootPageId < 2 || meta.RootPageId >= meta.HighWaterPageId)
                meta.Problem = $"meta page {index}: root page {meta.RootPageId} is not between 2 and the high-water mark {meta.HighWaterPageId}";
            return meta;
        }

        internal static bool IsPlausiblePageSize(uint size) => size >= 512 && size <= (1u << 20) && (size & (size - 1)) == 0;

        /// <summary>64-bit FNV-1a, as Go's hash/fnv New64a.</summary>
        public static ulong Fnv1a64(ReadOnlySpan<byte> bytes)
        {
            ulong hash = 14695981039346656037UL;
            foreach (byte b in bytes)
            {
                hash ^= b;
                hash *= 1099511628211UL;
            }
            return hash;
        }

        public override string ToString() =>
            $"meta {Index}: txid {TxId}, page size {PageSize}, root {RootPageId}, high-water {HighWaterPageId}" + (IsValid ? "" : " (" + Problem + ")");
    }
}
