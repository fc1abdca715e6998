using System;
using System.Text;

namespace ImageTools.Content
{
    /// <summary>The fields of one 512-byte tar header block (ustar, GNU and v7), before PAX or GNU long names apply.</summary>
    internal sealed class TarHeader
    {
        public const int BlockSize = 512;

        public string Name = "";
        public string LinkName = "";
        public char TypeFlag;
        public long Size;
        public long Mode;
        public long Uid;
        public long Gid;
        public long ModTime;
        public string UserName = "";
        public string GroupName = "";
        public long DevMajor;
        public long DevMinor;

        /// <summary>The header checksum as old tars computed it, with signed bytes (checked only when the unsigned sum does not match).</summary>
        private static long SignedChecksum(byte[] block)
        {
            long signed = 0;
            for (int i = 0; i < BlockSize; i++) signed += (i >= 148 && i < 156) ? 0x20 : (sbyte)block[i];
            return signed;
        }

        /// <summary>Parses a header block; returns null for an all-zero block (end of archive).</summary>
        /// <exception cref="FormatException">The checksum does not match or a numeric field is malformed.</exception>
        public static TarHeader? Parse(byte[] block)
        {
            bool allZero = true;
            for (int i = 0; i < BlockSize; i++) if (block[i] != 0) { allZero = false; break; }
            if (allZero) return null;

            long stored = ParseNumber(block, 148, 8, "checksum");
            long unsigned = 0;
            for (int i = 0; i < BlockSize; i++) unsigned += (i >= 148 && i < 156) ? 0x20 : block[i];
            if (stored != unsigned && stored != SignedChecksum(block))
                throw new FormatException($"header checksum {stored} does not match the header's bytes ({unsigned})");

            var h = new TarHeader
            {
                Name = ParseString(block, 0, 100),
                Mode = ParseNumber(block, 100, 8, "mode"),
                Uid = ParseNumber(block, 108, 8, "uid"),
                Gid = ParseNumber(block, 116, 8, "gid"),
                Size = ParseNumber(block, 124, 12, "size"),
                ModTime = ParseNumber(block, 136, 12, "mtime"),
                TypeFlag = block[156] == 0 ? '0' : (char)block[156],
                LinkName = ParseString(block, 157, 100),
            };
            string magic = Encoding.ASCII.GetString(block, 257, 6);
            if (magic == "ustar\0" || magic == "ustar ")
            {
                h.UserName = ParseString(block, 265, 32);
                h.GroupName = ParseString(block, 297, 32);
                h.DevMajor = ParseNumber(block, 329, 8, "devmajor");
                h.DevMinor = ParseNumber(block, 337, 8, "devminor");
                if (magic == "ustar\0")
                {
                    string prefix = ParseString(block, 345, 155);
                    if (prefix.Length > 0) h.Name = prefix + "/" + h.Name;
                }
            }
            if (h.Size < 0) throw new FormatException($"entry size {h.Size} is negative");
            return h;
        }

        internal static string ParseString(byte[] block, int offset, int length)
        {
            int end = offset;
            while (end < offset + length && block[end] != 0) end++;
            return Encoding.UTF8.GetString(block, offset, end - offset);
        }

        /// <summary>Octal (NUL or space terminated) or GNU base-256 (high bit of the first byte set).</summary>
        internal static long ParseNumber(byte[] block, int offset, int length, string field)
        {
            if ((block[offset] & 0x80) != 0)
            {
                if ((block[offset] & 0x40) != 0) throw new FormatException($"negative base-256 {field}");
                long v = block[offset] & 0x3F;
                for (int i = 1; i < length; i++)
                {
                    if (v > (long.MaxValue >> 8)) throw new FormatException($"{field} overflows");
                    v = (v << 8) | block[offset + i];
                }
                return v;
            }
            long value = 0;
            int p = offset, end = offset + length;
            while (p < end && (block[p] == ' ' || block[p] == 0)) p++;
            for (; p < end; p++)
            {
                byte b = block[p];
                if (b == 0 || b == ' ') break;
                if (b < '0' || b > '7') throw new FormatException($"{field} field is not octal");
                value = value * 8 + (b - '0');
            }
            return value;
        }
    }
}
