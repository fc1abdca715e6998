using System;

namespace ImageTools.Content
{
    /// <summary>
    /// CRC-64/ISO as Go's <c>hash/crc64</c> computes it with <c>crc64.MakeTable(crc64.ISO)</c>: reflected,
    /// polynomial 0xD800000000000000, initial value and final xor ~0. tar-split stores this checksum (8 bytes,
    /// big-endian) for every file it expects to find on disk. This is not .NET's System.IO.Hashing.Crc64,
    /// which is CRC-64/ECMA-182. Slicing-by-8, as Go does for inputs of 16 bytes and more.
    /// </summary>
    public sealed class Crc64Iso
    {
        public const ulong Polynomial = 0xD800000000000000UL;
        private static readonly ulong[] Flat = Flatten(BuildTables());
        private ulong _crc;

        /// <summary>The running value before the final xor; 0 at the start, as in Go's <c>crc64.Update(0, ...)</c>.</summary>
        public ulong Value => _crc;

        public void Reset() => _crc = 0;

        public void Append(byte[] data, int offset, int count) => _crc = Update(_crc, data, offset, count);

        /// <summary>The checksum in the 8 big-endian bytes tar-split stores (Go's <c>Sum(nil)</c>).</summary>
        public byte[] GetBytes()
        {
            var b = new byte[8];
            for (int i = 0; i < 8; i++) b[i] = (byte)(_crc >> (56 - 8 * i));
            return b;
        }

        public static ulong Compute(byte[] data) => Update(0, data, 0, data.Length);

        /// <summary>Go's <c>crc64.Update(crc, table, p)</c>.</summary>
        public static unsafe ulong Update(ulong crc, byte[] p, int offset, int count)
        {
            if (offset < 0 || count < 0 || offset + count > p.Length) throw new ArgumentOutOfRangeException(nameof(count));
            crc = ~crc;
            if (count == 0) return ~crc;
            // one flat table, read through pointers: the replay of a Docker layer checks every file byte here, and
            // bounds checks on eight jagged tables cost as much as the lookups
            fixed (ulong* t = Flat)
            fixed (byte* start = &p[offset])
            {
                byte* b = start, end = start + count;
                if (count >= 16)
                {
                    while (end - b >= 8)
                    {
                        crc ^= BitConverter.IsLittleEndian ? *(ulong*)b
                            : b[0] | (ulong)b[1] << 8 | (ulong)b[2] << 16 | (ulong)b[3] << 24 | (ulong)b[4] << 32 | (ulong)b[5] << 40 | (ulong)b[6] << 48 | (ulong)b[7] << 56;
                        crc = t[7 * 256 + (crc & 0xff)] ^ t[6 * 256 + ((crc >> 8) & 0xff)] ^ t[5 * 256 + ((crc >> 16) & 0xff)] ^ t[4 * 256 + ((crc >> 24) & 0xff)] ^
                              t[3 * 256 + ((crc >> 32) & 0xff)] ^ t[2 * 256 + ((crc >> 40) & 0xff)] ^ t[256 + ((crc >> 48) & 0xff)] ^ t[crc >> 56];
                        b += 8;
                    }
                }
                for (; b < end; b++) crc = t[(byte)crc ^ *b] ^ (crc >> 8);
            }
            return ~crc;
        }

        private static ulong[] Flatten(ulong[][] tables)
        {
            var flat = new ulong[8 * 256];
            for (int k = 0; k < 8; k++) Array.Copy(tables[k], 0, flat, k * 256, 256);
            return flat;
        }

        private static ulong[][] BuildTables()
        {
            var t = new ulong[8][];
            for (int k = 0; k < 8; k++) t[k] = new ulong[256];
            for (int i = 0; i < 256; i++)
            {
                ulong crc = (ulong)i;
                for (int j = 0; j < 8; j++) crc = (crc & 1) == 1 ? (crc >> 1) ^ Polynomial : crc >> 1;
                t[0][i] = crc;
            }
            for (int i = 0; i < 256; i++)
            {
                ulong crc = t[0][i];
                for (int k = 1; k < 8; k++)
                {
                    crc = t[0][crc & 0xff] ^ (crc >> 8);
                    t[k][i] = crc;
                }
            }
            return t;
        }
    }
}
