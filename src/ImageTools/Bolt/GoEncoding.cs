using System;
using System.Buffers.Binary;

namespace ImageTools.Bolt
{
    /// <summary>
    /// Decoders for the Go encodings that programs storing data in bbolt commonly use: encoding/binary's Uvarint
    /// and (zig-zag) Varint, and time.Time.MarshalBinary.
    /// </summary>
    public static class GoEncoding
    {
        private const int MaxVarintLength = 10;
        private const long TicksPerSecond = TimeSpan.TicksPerSecond;
        private static readonly long MaxSeconds = DateTime.MaxValue.Ticks / TicksPerSecond;

        /// <summary>Decodes an unsigned LEB128 varint as Go's binary.Uvarint; false when truncated or above 64 bits.</summary>
        public static bool TryReadUvarint(ReadOnlySpan<byte> data, out ulong value, out int bytesRead)
        {
            value = 0;
            bytesRead = 0;
            int shift = 0;
            for (int i = 0; i < data.Length && i < MaxVarintLength; i++)
            {
                byte b = data[i];
                if (b < 0x80)
                {
                    if (i == MaxVarintLength - 1 && b > 1) { value = 0; return false; }
                    value |= (ulong)b << shift;
                    bytesRead = i + 1;
                    return true;
                }
                value |= (ulong)(b & 0x7f) << shift;
                shift += 7;
            }
            value = 0;
            return false;
        }

        /// <summary>Decodes a zig-zag varint as Go's binary.Varint.</summary>
        public static bool TryReadVarint(ReadOnlySpan<byte> data, out long value, out int bytesRead)
        {
            if (!TryReadUvarint(data, out ulong u, out bytesRead)) { value = 0; return false; }
            value = (long)(u >> 1) ^ -(long)(u & 1);
            return true;
        }

        /// <summary>Decodes a value that is exactly one Go Uvarint.</summary>
        /// <exception cref="FormatException">Truncated, too long, or followed by other bytes.</exception>
        public static ulong ReadUvarint(ReadOnlySpan<byte> data)
        {
            if (!TryReadUvarint(data, out ulong value, out int n) || n != data.Length)
                throw new FormatException($"not a single Go uvarint: {Hex(data)}");
            return value;
        }

        /// <summary>Decodes a value that is exactly one Go (zig-zag) Varint.</summary>
        /// <exception cref="FormatException">Truncated, too long, or followed by other bytes.</exception>
        public static long ReadVarint(ReadOnlySpan<byte> data)
        {
            if (!TryReadVarint(data, out long value, out int n) || n != data.Length)
                throw new FormatException($"not a single Go varint: {Hex(data)}");
            return value;
        }

        /// <summary>
        /// Decodes Go's time.Time.MarshalBinary: version 1 (15 bytes) or 2 (16 bytes): byte version, int64 BE seconds
        /// since 0001-01-01T00:00:00Z, int32 BE nanoseconds, int16 BE zone offset in minutes (-1 = UTC), and in
        /// version 2 an int8 of extra offset seconds. Nanoseconds are truncated to .NET's 100 ns ticks. An offset that
        /// DateTimeOffset cannot carry (not whole minutes, or beyond ±14 h) gives the same instant with offset zero.
        /// </summary>
        public static bool TryReadTime(ReadOnlySpan<byte> data, out DateTimeOffset value)
        {
            value = default;
            if (data.Length < 1) return false;
            byte version = data[0];
            if (!(version == 1 && data.Length == 15) && !(version == 2 && data.Length == 16)) return false;
            long seconds = BinaryPrimitives.ReadInt64BigEndian(data.Slice(1));
            int nanoseconds = BinaryPrimitives.ReadInt32BigEndian(data.Slice(9));
            short offsetMinutes = BinaryPrimitives.ReadInt16BigEndian(data.Slice(13));
            int offsetSeconds = offsetMinutes == -1 ? 0 : offsetMinutes * 60;
            if (version == 2 && offsetMinutes != -1) offsetSeconds += (sbyte)data[15];
            if (seconds < 0 || seconds > MaxSeconds || nanoseconds < 0 || nanoseconds >= 1_000_000_000) return false;
            long ticks = seconds * TicksPerSecond + nanoseconds / 100;
            if (ticks > DateTime.MaxValue.Ticks) return false;
            var utc = new DateTime(ticks, DateTimeKind.Utc);
            var offset = TimeSpan.FromSeconds(offsetSeconds);
            bool representable = offsetSeconds % 60 == 0 && Math.Abs(offsetSeconds) <= 14 * 3600 &&
                ticks + offset.Ticks >= 0 && ticks + offset.Ticks <= DateTime.MaxValue.Ticks;
            value = representable ? new DateTimeOffset(utc).ToOffset(offset) : new DateTimeOffset(utc);
            return true;
        }

        /// <summary>Decodes Go's time.Time.MarshalBinary (see <see cref="TryReadTime"/>).</summary>
        /// <exception cref="FormatException">Not a version 1 or 2 encoding of a representable time.</exception>
        public static DateTimeOffset ReadTime(ReadOnlySpan<byte> data)
        {
            if (!TryReadTime(data, out var value))
                throw new FormatException($"not a Go time.MarshalBinary value: {Hex(data)}");
            return value;
        }

        private static string Hex(ReadOnlySpan<byte> data)
        {
            var chars = new char[Math.Min(data.Length, 32) * 2];
            for (int i = 0; i < chars.Length / 2; i++)
            {
                chars[2 * i] = "0123456789abcdef"[data[i] >> 4];
                chars[2 * i + 1] = "0123456789abcdef"[data[i] & 15];
            }
            return data.Length == 0 ? "(empty)" : new string(chars) + (data.Length > 32 ? "..." : "");
        }
    }
}
