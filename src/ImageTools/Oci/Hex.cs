namespace ImageTools.Oci
{
    internal static class Hex
    {
        private const string Digits = "0123456789abcdef";

        public static string Encode(byte[] bytes) => Encode("", bytes);

        /// <summary><paramref name="prefix"/> then the lowercase hex of <paramref name="bytes"/>, as one string (no intermediate one).</summary>
        public static string Encode(string prefix, byte[] bytes)
        {
            var chars = new char[prefix.Length + bytes.Length * 2];
            prefix.CopyTo(0, chars, 0, prefix.Length);
            for (int i = 0, at = prefix.Length; i < bytes.Length; i++, at += 2)
            {
                chars[at] = Digits[bytes[i] >> 4];
                chars[at + 1] = Digits[bytes[i] & 0xF];
            }
            return new string(chars);
        }

        public static bool IsLowerHex(string s) => IsLowerHex(s, 0);

        /// <summary>True when the characters of <paramref name="s"/> from <paramref name="start"/> on are lowercase hex (and there is one at least).</summary>
        public static bool IsLowerHex(string s, int start)
        {
            for (int i = start; i < s.Length; i++)
            {
                char c = s[i];
                if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
            }
            return s.Length > start;
        }

        /// <summary>True when <paramref name="bytes"/> (ASCII) are lowercase hex (and there is one at least).</summary>
        public static bool IsLowerHex(System.ReadOnlySpan<byte> bytes)
        {
            foreach (var b in bytes)
                if (!((b >= (byte)'0' && b <= (byte)'9') || (b >= (byte)'a' && b <= (byte)'f'))) return false;
            return bytes.Length > 0;
        }
    }
}
