using System.IO;
using System.IO.Compression;
using ImageTools.Content;
using ImageTools.Oci;
using Xunit;

namespace ImageTools.UnitTests.Content
{
    public class DecompressionTests
    {
        private static byte[] Gzip(byte[] data)
        {
            var ms = new MemoryStream();
            using (var g = new GZipStream(ms, CompressionLevel.Fastest, true)) g.Write(data);
            return ms.ToArray();
        }

        private static byte[] RandomBytes(int n)
        {
            var data = new byte[n];
            new System.Random(42).NextBytes(data);
            return data;
        }

        [Fact]
        public void DetectsGzipFromTheBytesAndInflates()
        {
            var data = RandomBytes(100_000);
            using var s = Decompression.Open(new MemoryStream(Gzip(data)), "test", out var compression);
            Assert.Equal(Compression.Gzip, compression);
            var output = new MemoryStream();
            s.CopyTo(output);
            Assert.Equal(data, output.ToArray());
        }

        [Fact]
        public void DetectsZstd()
        {
            var data = RandomBytes(10_000);
            var compressed = new ZstdSharp.Compressor().Wrap(data).ToArray();
            using var s = Decompression.Open(new MemoryStream(compressed), "test", out var compression);
            Assert.Equal(Compression.Zstd, compression);
            var output = new MemoryStream();
            s.CopyTo(output);
            Assert.Equal(data, output.ToArray());
        }

        [Theory]
        [InlineData(4)]
        [InlineData(50_000)]
        public void AGzipStreamThatEndsEarlyIsAnError(int cut)
        {
            var gz = Gzip(RandomBytes(100_000));
            var truncated = new MemoryStream(gz, 0, gz.Length - cut);
            using var s = Decompression.Open(truncated, "layer.tar.gz", out _);
            var ex = Assert.Throws<ImageToolsException>(() => s.CopyTo(Stream.Null));
            Assert.Equal(ErrorId.CompressedStreamTruncated, ex.ErrorId);
            Assert.Contains("layer.tar.gz", ex.Message);
        }

        [Fact]
        public void PlainContentPassesThrough()
        {
            var data = RandomBytes(1000);
            data[0] = 0x42;
            using var s = Decompression.Open(new MemoryStream(data), "plain", out var compression);
            Assert.Equal(Compression.None, compression);
            var output = new MemoryStream();
            s.CopyTo(output);
            Assert.Equal(data, output.ToArray());
        }
    }
}
