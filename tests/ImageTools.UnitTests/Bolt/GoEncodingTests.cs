using System;
using ImageTools.Bolt;
using Xunit;

namespace ImageTools.UnitTests.Bolt
{
    public class GoEncodingTests
    {
        private static byte[] Hex(string hex) => Convert.FromHexString(hex);

        [Theory]
        [InlineData("00", 0UL)]
        [InlineData("01", 1UL)]
        [InlineData("7f", 127UL)]
        [InlineData("8001", 128UL)]
        [InlineData("ac02", 300UL)]
        [InlineData("ffffffffffffffffff01", ulong.MaxValue)]
        public void Uvarint_matches_go(string hex, ulong expected)
        {
            Assert.Equal(expected, GoEncoding.ReadUvarint(Hex(hex)));
            Assert.True(GoEncoding.TryReadUvarint(Hex(hex + "ff"), out ulong v, out int n));
            Assert.Equal(expected, v);
            Assert.Equal(hex.Length / 2, n);
        }

        [Theory]
        [InlineData("")]
        [InlineData("80")]                     // truncated
        [InlineData("ffffffffffffffffff02")]   // overflows 64 bits
        [InlineData("ffffffffffffffffffff01")] // 11 bytes
        public void Bad_uvarints_are_rejected(string hex)
        {
            Assert.False(GoEncoding.TryReadUvarint(Hex(hex), out _, out _));
            Assert.Throws<FormatException>(() => GoEncoding.ReadUvarint(Hex(hex)));
        }

        [Theory]
        [InlineData("00", 0L)]
        [InlineData("01", -1L)]
        [InlineData("02", 1L)]
        [InlineData("03", -2L)]
        [InlineData("80a001", 10240L)] // containerd's content size, FORMATS.md
        [InlineData("c202", 161L)]
        [InlineData("feffffffffffffffff01", long.MaxValue)]
        [InlineData("ffffffffffffffffff01", long.MinValue)]
        public void Varint_is_zig_zag(string hex, long expected) => Assert.Equal(expected, GoEncoding.ReadVarint(Hex(hex)));

        [Fact]
        public void ReadVarint_wants_exactly_one_value() =>
            Assert.Throws<FormatException>(() => GoEncoding.ReadVarint(Hex("0202")));

        [Fact]
        public void Time_version_1_in_utc()
        {
            // From the fixture: 0x01, seconds 0x0ee29be87a, ns 0x1a9c3470, zone -1 (UTC)
            var t = GoEncoding.ReadTime(Hex("010000000ee29be87a1a9c3470ffff"));
            Assert.Equal(TimeSpan.Zero, t.Offset);
            Assert.Equal(new DateTime(1, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(0x0ee29be87a).AddTicks(0x1a9c3470 / 100), t.UtcDateTime);
        }

        [Fact]
        public void Time_with_zone_offsets()
        {
            long seconds = (new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc) - DateTime.MinValue).Ticks / TimeSpan.TicksPerSecond;
            var v1 = new byte[15];
            v1[0] = 1;
            System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(v1.AsSpan(1), seconds);
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(v1.AsSpan(9), 600_000_123);
            System.Buffers.Binary.BinaryPrimitives.WriteInt16BigEndian(v1.AsSpan(13), 120);
            var t = GoEncoding.ReadTime(v1);
            Assert.Equal(TimeSpan.FromHours(2), t.Offset);
            Assert.Equal(new DateTime(2024, 1, 2, 3, 4, 5, 600, DateTimeKind.Utc).AddTicks(1), t.UtcDateTime);
            Assert.Equal(5, t.Hour);

            var v2 = new byte[16];
            v1.CopyTo(v2, 0);
            v2[0] = 2;
            v2[15] = 30; // +2:00:30, which DateTimeOffset cannot carry: same instant, offset zero
            var t2 = GoEncoding.ReadTime(v2);
            Assert.Equal(t.UtcDateTime, t2.UtcDateTime);
            Assert.Equal(TimeSpan.Zero, t2.Offset);
            v2[15] = 0;
            Assert.Equal(TimeSpan.FromHours(2), GoEncoding.ReadTime(v2).Offset);
        }

        [Theory]
        [InlineData("")]
        [InlineData("010000000ee29be87a1a9c3470ff")]     // 14 bytes
        [InlineData("020000000ee29be87a1a9c3470ffff")]   // version 2 needs 16 bytes
        [InlineData("030000000ee29be87a1a9c3470ffff00")] // unknown version
        [InlineData("01ffffffffffffffff00000000ffff")]   // negative seconds
        [InlineData("010000000ee29be87a3b9aca00ffff")]   // 1e9 nanoseconds
        public void Bad_times_are_rejected(string hex)
        {
            Assert.False(GoEncoding.TryReadTime(Hex(hex), out _));
            Assert.Throws<FormatException>(() => GoEncoding.ReadTime(Hex(hex)));
        }
    }
}
