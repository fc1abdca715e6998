using System;
using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace ImageTools.Content
{
    /// <summary>
    /// Reads a tar-split record in the one form Go's <c>json.Encoder</c> writes it: an object without whitespace whose
    /// members are <c>type</c>, <c>name</c>, <c>name_raw</c>, <c>size</c>, <c>payload</c> and <c>position</c>, numbers in
    /// plain digits, ASCII names without escapes, payloads in padded base64. A layer holds one record per file and
    /// header, so this path is most of a replay's decoding; anything else (escapes, whitespace, non-ASCII names, other
    /// members, malformed input) is left to the general JSON reader, which also words the errors.
    /// </summary>
    internal static class TarSplitFastLine
    {
        private static readonly byte[] Type = Encoding.ASCII.GetBytes("type");
        private static readonly byte[] Name = Encoding.ASCII.GetBytes("name");
        private static readonly byte[] NameRaw = Encoding.ASCII.GetBytes("name_raw");
        private static readonly byte[] Size = Encoding.ASCII.GetBytes("size");
        private static readonly byte[] Payload = Encoding.ASCII.GetBytes("payload");
        private static readonly byte[] Position = Encoding.ASCII.GetBytes("position");

        public static bool TryParse(ReadOnlySpan<byte> line, out int type, out string? name, out byte[]? nameRaw, out long size, out byte[]? payload, out long position)
        {
            type = 0; name = null; nameRaw = null; size = 0; payload = null; position = 0;
            if (line.Length < 2 || line[0] != (byte)'{' || line[line.Length - 1] != (byte)'}') return false;
            int at = 1, end = line.Length - 1;
            if (at == end) return true;
            while (true)
            {
                if (!ReadString(line, ref at, end, out var key) || at >= end || line[at++] != (byte)':' || at >= end) return false;
                if (key.SequenceEqual(Type))
                {
                    if (!ReadNumber(line, ref at, end, out long t) || t > int.MaxValue) return false;
                    type = (int)t;
                }
                else if (key.SequenceEqual(Size)) { if (!ReadNumber(line, ref at, end, out size)) return false; }
                else if (key.SequenceEqual(Position)) { if (!ReadNumber(line, ref at, end, out position)) return false; }
                else if (key.SequenceEqual(Name))
                {
                    if (IsNull(line, ref at, end)) name = null;
                    else if (!ReadString(line, ref at, end, out var value)) return false;
                    else name = Encoding.ASCII.GetString(value.ToArray());
                }
                else if (key.SequenceEqual(NameRaw))
                {
                    if (IsNull(line, ref at, end)) nameRaw = null;
                    else if (!ReadString(line, ref at, end, out var value) || !DecodeBase64(value, out nameRaw)) return false;
                }
                else if (key.SequenceEqual(Payload))
                {
                    if (IsNull(line, ref at, end)) payload = null;
                    else if (!ReadString(line, ref at, end, out var value) || !DecodeBase64(value, out payload)) return false;
                }
                else return false;
                if (at == end) return true;
                if (line[at++] != (byte)',') return false;
            }
        }

        /// <summary>A string of printable ASCII without escapes (the content between the quotes).</summary>
        private static bool ReadString(ReadOnlySpan<byte> line, ref int at, int end, out ReadOnlySpan<byte> value)
        {
            value = default;
            if (at >= end || line[at] != (byte)'"') return false;
            int start = ++at;
            while (at < end)
            {
                byte b = line[at];
                if (b == (byte)'"')
                {
                    value = line.Slice(start, at - start);
                    at++;
                    return true;
                }
                if (b == (byte)'\\' || b < 0x20 || b >= 0x7f) return false;
                at++;
            }
            return false;
        }

        private static bool ReadNumber(ReadOnlySpan<byte> line, ref int at, int end, out long value)
        {
            value = 0;
            int start = at;
            // 18 digits cannot overflow a long; longer numbers, signs, fractions and exponents take the general path
            while (at < end && line[at] >= (byte)'0' && line[at] <= (byte)'9')
            {
                if (at - start == 18) return false;
                value = value * 10 + (line[at] - '0');
                at++;
            }
            if (at == start || (line[start] == (byte)'0' && at - start > 1)) return false;
            return true;
        }

        private static bool IsNull(ReadOnlySpan<byte> line, ref int at, int end)
        {
            if (end - at >= 4 && line[at] == (byte)'n' && line[at + 1] == (byte)'u' && line[at + 2] == (byte)'l' && line[at + 3] == (byte)'l')
            {
                at += 4;
                return true;
            }
            return false;
        }

        private static bool DecodeBase64(ReadOnlySpan<byte> text, out byte[]? bytes)
        {
            bytes = null;
            if (text.Length % 4 != 0) return false;
            var decoded = new byte[Base64.GetMaxDecodedFromUtf8Length(text.Length)];
            if (Base64.DecodeFromUtf8(text, decoded, out int consumed, out int written) != OperationStatus.Done || consumed != text.Length) return false;
            if (written != decoded.Length) Array.Resize(ref decoded, written);
            bytes = decoded;
            return true;
        }
    }
}
