using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using ImageTools.Content;
using Xunit;

namespace ImageTools.UnitTests.Content
{
    /// <summary>The MiB-fed inflater against the runtime's GZipStream, the reference for everything but truncation.</summary>
    public class GzipInflateStreamTests
    {
        private static byte[] Gzip(byte[] data)
        {
            var ms = new MemoryStream();
            using (var g = new GZipStream(ms, CompressionLevel.Fastest, true)) g.Write(data);
            return ms.ToArray();
        }

        private static byte[] TextLike(int n, int seed)
        {
            var random = new Random(seed);
            var words = new[] { "usr", "lib", "share", "bin", "etc", "x86_64-linux-gnu", "python3", "/", ".so", "\n" };
            var text = new System.Text.StringBuilder();
            while (text.Length < n) text.Append(words[random.Next(words.Length)]);
            return System.Text.Encoding.ASCII.GetBytes(text.ToString(0, n));
        }

        private static byte[] ReadAll(Stream s, int chunk)
        {
            var output = new MemoryStream();
            var buffer = new byte[chunk];
            int n;
            while ((n = s.Read(buffer, 0, buffer.Length)) > 0) output.Write(buffer, 0, n);
            return output.ToArray();
        }

        private static byte[] ByGZipStream(byte[] gz) => ReadAll(new GZipStream(new MemoryStream(gz), CompressionMode.Decompress), 65536);

        [Fact]
        public void TheRuntimeShimIsLoadedHere() => Assert.True(RuntimeZLib.Available);

        [Theory]
        [InlineData(1)]
        [InlineData(512)]
        [InlineData(1 << 20)]
        public void InflatesAsGZipStreamDoesWhateverTheReadSize(int chunk)
        {
            var gz = Gzip(TextLike(3_000_000, 1));
            using var s = GzipInflateStream.Open(new MemoryStream(gz));
            Assert.IsType<GzipInflateStream>(s);
            Assert.Equal(ByGZipStream(gz), ReadAll(s, chunk));
        }

        [Fact]
        public void ReadsConcatenatedMembersAsOneStream()
        {
            var gz = Gzip(TextLike(2_500_000, 2)).Concat(Gzip(TextLike(10, 3))).Concat(Gzip(TextLike(1_200_000, 4))).ToArray();
            using var s = GzipInflateStream.Open(new MemoryStream(gz));
            var ours = ReadAll(s, 100_000);
            Assert.Equal(2_500_000 + 10 + 1_200_000, ours.Length);
            Assert.Equal(ByGZipStream(gz), ours);
        }

        [Fact]
        public void BytesAfterTheLastMemberThatAreNoGzipHeaderEndTheStreamAsInGZipStream()
        {
            var gz = Gzip(TextLike(100_000, 5)).Concat(new byte[1024]).ToArray();
            using var s = GzipInflateStream.Open(new MemoryStream(gz));
            Assert.Equal(ByGZipStream(gz), ReadAll(s, 4096));
        }

        [Theory]
        [InlineData(1)]
        [InlineData(8)]
        [InlineData(40_000)]
        public void AStreamCutShortIsReportedNotEndedSilently(int cut)
        {
            var gz = Gzip(TextLike(200_000, 6));
            using var s = GzipInflateStream.Open(new MemoryStream(gz, 0, gz.Length - cut));
            Assert.Throws<EndOfStreamException>(() => ReadAll(s, 65536));
        }

        [Fact]
        public void DamagedDeflateDataIsInvalidData()
        {
            var gz = Gzip(TextLike(200_000, 7));
            for (int i = 20; i < 60; i++) gz[i] ^= 0x5a;
            using var s = GzipInflateStream.Open(new MemoryStream(gz));
            Assert.Throws<InvalidDataException>(() => ReadAll(s, 65536));
        }
    }
}
