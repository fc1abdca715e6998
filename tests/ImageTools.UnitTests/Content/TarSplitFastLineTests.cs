using System;
using System.IO;
using System.Text;
using ImageTools;
using ImageTools.Content;
using Xunit;

namespace ImageTools.UnitTests.Content
{
    /// <summary>The fast path of the tar-split reader takes Go's json.Encoder form and leaves everything else to the JSON reader.</summary>
    public class TarSplitFastLineTests
    {
        private static bool Fast(string line, out int type, out string? name, out byte[]? raw, out long size, out byte[]? payload, out long position) =>
            TarSplitFastLine.TryParse(Encoding.UTF8.GetBytes(line), out type, out name, out raw, out size, out payload, out position);

        private static TarSplitEntry Read(string line)
        {
            using var r = new TarSplitReader(new MemoryStream(Encoding.UTF8.GetBytes(line + "\n")), "test");
            return r.Next()!;
        }

        [Fact]
        public void TakesTheRecordsGoWrites()
        {
            // a file record and a segment record in the form of Go's json.Encoder (tar-split's storage.Entry)
            Assert.True(Fast("{\"type\":1,\"name\":\"etc/hostname\",\"size\":13,\"payload\":\"AAECAwQFBgc=\",\"position\":1}",
                out int type, out string? name, out byte[]? raw, out long size, out byte[]? payload, out long position));
            Assert.Equal(1, type); Assert.Equal("etc/hostname", name); Assert.Null(raw); Assert.Equal(13, size); Assert.Equal(1, position);
            Assert.Equal(new byte[] { 0, 1, 2, 3, 4, 5, 6, 7 }, payload);
            Assert.True(Fast("{\"type\":2,\"payload\":\"YWJj\",\"position\":0}", out type, out name, out _, out size, out payload, out position));
            Assert.Equal(2, type); Assert.Null(name); Assert.Equal(0, size); Assert.Equal(Encoding.ASCII.GetBytes("abc"), payload);
            Assert.True(Fast("{\"type\":1,\"name\":\"e\",\"size\":0,\"payload\":null,\"position\":3}", out _, out _, out _, out _, out payload, out _));
            Assert.Null(payload);
        }

        [Theory]
        [InlineData("{\"type\":1,\"name\":\"caf\u00e9\",\"size\":1,\"payload\":\"AAECAwQFBgc=\",\"position\":1}")] // non-ASCII name
        [InlineData("{\"type\":1,\"name\":\"a\\u003cb\",\"size\":1,\"payload\":\"AAECAwQFBgc=\",\"position\":1}")] // escape
        [InlineData("{ \"type\":2,\"payload\":\"YWJj\",\"position\":0}")] // whitespace
        [InlineData("{\"type\":2,\"payload\":\"YWJ\",\"position\":0}")] // base64 not padded
        [InlineData("{\"type\":2,\"payload\":\"YW!j\",\"position\":0}")] // not base64
        [InlineData("{\"type\":-2,\"position\":0}")] // sign
        [InlineData("{\"type\":2,\"size\":1e3,\"position\":0}")] // exponent
        [InlineData("{\"type\":2,\"size\":12345678901234567890,\"position\":0}")] // beyond a long
        [InlineData("{\"type\":2,\"extra\":true,\"position\":0}")] // another member
        [InlineData("{\"type\":2,\"position\":0")] // truncated
        [InlineData("[1]")]
        public void LeavesAnythingElseToTheJsonReader(string line) =>
            Assert.False(Fast(line, out _, out _, out _, out _, out _, out _));

        [Fact]
        public void BothPathsGiveTheSameRecord()
        {
            // the escaped form goes through the JSON reader, the plain one through the fast path
            var slow = Read("{\"type\":1,\"name\":\"etc/\\u0068ostname\",\"size\":13,\"payload\":\"AAECAwQFBgc=\",\"position\":1}");
            var fast = Read("{\"type\":1,\"name\":\"etc/hostname\",\"size\":13,\"payload\":\"AAECAwQFBgc=\",\"position\":1}");
            Assert.Equal(slow.Name, fast.Name); Assert.Equal(slow.Size, fast.Size); Assert.Equal(slow.Payload, fast.Payload);
            Assert.Equal(slow.Position, fast.Position); Assert.Equal(slow.Type, fast.Type);
        }

        [Theory]
        [InlineData("{\"type\":3,\"position\":0}", "has type 3")]
        [InlineData("{\"type\":1,\"name\":\"a\",\"size\":5,\"payload\":\"YWJj\",\"position\":0}", "without an 8-byte CRC-64 payload")]
        [InlineData("{\"type\":2,\"payload\":\"YW!j\",\"position\":0}", "is not a valid tar-split record")]
        public void DamagedRecordsStillFailClearly(string line, string message)
        {
            var e = Assert.Throws<ImageToolsException>(() => Read(line));
            Assert.Equal(ErrorId.MalformedContent, e.ErrorId);
            Assert.Contains(message, e.Message);
        }
    }
}
