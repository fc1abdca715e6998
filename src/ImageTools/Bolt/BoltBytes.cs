using System;
using System.Runtime.InteropServices;
using System.Text;

namespace ImageTools.Bolt
{
    /// <summary>Helpers for bbolt's raw byte keys and values: bbolt orders keys by unsigned bytewise comparison.</summary>
    public static class BoltBytes
    {
        private static readonly UTF8Encoding StrictUtf8 = new UTF8Encoding(false, true);

        /// <summary>Bytewise comparison, the order bbolt keeps keys in.</summary>
        public static int Compare(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => a.SequenceCompareTo(b);

        /// <summary>The UTF-8 bytes of <paramref name="text"/>.</summary>
        public static byte[] Utf8(string text)
        {
            if (text == null) throw new ArgumentNullException(nameof(text));
            return Encoding.UTF8.GetBytes(text);
        }

        /// <summary>Decodes UTF-8; invalid sequences become U+FFFD.</summary>
        public static string ToText(ReadOnlyMemory<byte> bytes)
        {
            if (bytes.IsEmpty) return string.Empty;
            return Decode(Encoding.UTF8, bytes);
        }

        /// <summary>Decodes without copying the bytes first, from an array (pinned while decoded) or from a mapped file.</summary>
        /// <remarks>Through the span: asking a mapped file's memory for its array called a method that a new session compiled, for every text.</remarks>
        private static unsafe string Decode(Encoding encoding, ReadOnlyMemory<byte> bytes)
        {
            var span = bytes.Span;
            fixed (byte* p = &MemoryMarshal.GetReference(span)) return encoding.GetString(p, span.Length);
        }

        /// <summary>Decodes strict UTF-8; returns false when the bytes are not valid UTF-8.</summary>
        public static bool TryToText(ReadOnlyMemory<byte> bytes, out string text)
        {
            try
            {
                text = bytes.IsEmpty ? string.Empty : Decode(StrictUtf8, bytes);
                return true;
            }
            catch (DecoderFallbackException)
            {
                text = string.Empty;
                return false;
            }
        }

        /// <summary>A printable form for messages: the text when it is printable UTF-8, else hex.</summary>
        public static string Describe(ReadOnlyMemory<byte> bytes)
        {
            if (TryToText(bytes, out var text))
            {
                bool printable = true;
                foreach (char c in text) if (char.IsControl(c)) { printable = false; break; }
                if (printable) return text.Length > 80 ? text.Substring(0, 77) + "..." : text;
            }
            var span = bytes.Span;
            var sb = new StringBuilder("0x");
            for (int i = 0; i < span.Length && i < 40; i++) sb.Append(span[i].ToString("x2"));
            if (span.Length > 40) sb.Append("...");
            return sb.ToString();
        }
    }
}
