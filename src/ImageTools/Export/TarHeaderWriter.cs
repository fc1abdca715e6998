using System;
using System.Text;

namespace ImageTools.Export
{
    /// <summary>
    /// Writes ustar headers for the entries of an image archive. Names here are never longer than 100 bytes
    /// (<c>blobs/sha256/&lt;64 hex&gt;</c> is 77), so no PAX or GNU long-name records are needed.
    /// </summary>
    internal static class TarHeaderWriter
    {
        public const int BlockSize = 512;

        public static byte[] File(string name, long size, long mode = 0x1A4 /* 0644 */) => Header(name, size, '0', mode);

        public static byte[] Directory(string name) => Header(name.EndsWith("/", StringComparison.Ordinal) ? name : name + "/", 0, '5', 0x1ED /* 0755 */);

        public static int Padding(long size) => (int)((BlockSize - size % BlockSize) % BlockSize);

        private static byte[] Header(string name, long size, char type, long mode)
        {
            var nameBytes = Encoding.UTF8.GetBytes(name);
            if (nameBytes.Length > 100) throw new ArgumentException($"Archive entry name '{name}' is longer than 100 bytes.");
            var h = new byte[BlockSize];
            Buffer.BlockCopy(nameBytes, 0, h, 0, nameBytes.Length);
            Octal(h, 100, 8, mode);
            Octal(h, 108, 8, 0);
            Octal(h, 116, 8, 0);
            if (size < 0x1FFFFFFFFL) Octal(h, 124, 12, size);
            else Base256(h, 124, 12, size);
            Octal(h, 136, 12, 0); // mtime 0, as docker save writes: archives are reproducible
            for (int i = 148; i < 156; i++) h[i] = (byte)' ';
            h[156] = (byte)type;
            Encoding.ASCII.GetBytes("ustar\0", 0, 6, h, 257);
            h[263] = (byte)'0';
            h[264] = (byte)'0';
            long sum = 0;
            foreach (var b in h) sum += b;
            Octal(h, 148, 7, sum);
            h[155] = (byte)' ';
            return h;
        }

        private static void Octal(byte[] h, int offset, int length, long value)
        {
            string s = Convert.ToString(value, 8).PadLeft(length - 1, '0');
            Encoding.ASCII.GetBytes(s, 0, length - 1, h, offset);
            h[offset + length - 1] = 0;
        }

        private static void Base256(byte[] h, int offset, int length, long value)
        {
            for (int i = length - 1; i > 0; i--) { h[offset + i] = (byte)(value & 0xFF); value >>= 8; }
            h[offset] = 0x80;
        }
    }
}
