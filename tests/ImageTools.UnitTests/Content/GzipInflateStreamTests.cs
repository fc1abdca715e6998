using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using ImageTools.Content;
using Xunit;

namespace ImageTools.UnitTests.Content
{
    /// <summary>
    /// The MiB-fed inflater against the runtime's GZipStream, the reference for everything but truncation: with each
    /// native inflater this host has (the runtime's zlib-ng always, ISA-L where libisal2 is installed).
    /// </summary>
    public class GzipInflateStreamTests
    {
        public static TheoryData<string> Inflaters()
        {
            var data = new TheoryData<string> { "zlib" };
            if (IsaLInflate.Available) data.Add("isa-l");
            return data;
        }

        private static Stream OpenWith(string inflater, Stream compressed) =>
            new GzipInflateStream(compressed, inflater == "isa-l" ? new IsaLMemberInflater() : new ZLibMemberInflater());

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

        [Fact]
        public void IsaLIsUsedWhereItIsInstalled()
        {
            bool installed = File.Exists("/usr/lib/x86_64-linux-gnu/libisal.so.2") && Environment.GetEnvironmentVariable("IMAGETOOLS_INFLATER") != "zlib";
            Assert.Equal(installed, IsaLInflate.Available);
            using var s = GzipInflateStream.Open(new MemoryStream(Gzip(new byte[10])));
            Assert.IsType<GzipInflateStream>(s);
        }

        [Theory]
        [MemberData(nameof(Inflaters))]
        public void InflatesAsGZipStreamDoesWhateverTheReadSize(string inflater)
        {
            var gz = Gzip(TextLike(3_000_000, 1));
            var expected = ByGZipStream(gz);
            foreach (int chunk in new[] { 1, 512, 1 << 20 })
            {
                using var s = OpenWith(inflater, new MemoryStream(gz));
                Assert.Equal(expected, ReadAll(s, chunk));
            }
        }

        [Theory]
        [MemberData(nameof(Inflaters))]
        public void ReadsAHeaderWithExtraFieldNameAndComment(string inflater)
        {
            var plain = TextLike(300_000, 8);
            var standard = Gzip(plain);
            // the same deflate data and trailer behind a header with FEXTRA, FNAME and FCOMMENT (as gzip -N, pigz -K write)
            var header = new byte[] { 0x1f, 0x8b, 8, 0x1c, 0, 0, 0, 0, 0, 3, 4, 0, (byte)'A', (byte)'B', 2, 0 }
                .Concat(System.Text.Encoding.ASCII.GetBytes("layer.tar\0a comment\0")).ToArray();
            var gz = header.Concat(standard.Skip(10)).ToArray();
            using var s = OpenWith(inflater, new MemoryStream(gz));
            Assert.Equal(plain, ReadAll(s, 65536));
        }

        [Theory]
        [MemberData(nameof(Inflaters))]
        public void AWrongCrcOrSizeInTheTrailerIsInvalidData(string inflater)
        {
            foreach (int fromEnd in new[] { 8, 1 }) // the CRC-32's first byte, ISIZE's last
            {
                var gz = Gzip(TextLike(100_000, 9));
                gz[gz.Length - fromEnd] ^= 0x01;
                using var s = OpenWith(inflater, new MemoryStream(gz));
                Assert.Throws<InvalidDataException>(() => ReadAll(s, 65536));
            }
        }

        [Theory]
        [MemberData(nameof(Inflaters))]
        public void ReadsConcatenatedMembersAsOneStream(string inflater)
        {
            var gz = Gzip(TextLike(2_500_000, 2)).Concat(Gzip(TextLike(10, 3))).Concat(Gzip(TextLike(1_200_000, 4))).ToArray();
            using var s = OpenWith(inflater, new MemoryStream(gz));
            var ours = ReadAll(s, 100_000);
            Assert.Equal(2_500_000 + 10 + 1_200_000, ours.Length);
            Assert.Equal(ByGZipStream(gz), ours);
        }

        [Theory]
        [MemberData(nameof(Inflaters))]
        public void BytesAfterTheLastMemberThatAreNoGzipHeaderEndTheStreamAsInGZipStream(string inflater)
        {
            var gz = Gzip(TextLike(100_000, 5)).Concat(new byte[1024]).ToArray();
            using var s = OpenWith(inflater, new MemoryStream(gz));
            Assert.Equal(ByGZipStream(gz), ReadAll(s, 4096));
        }

        [Theory]
        [MemberData(nameof(Inflaters))]
        public void AStreamCutShortIsReportedNotEndedSilently(string inflater)
        {
            var gz = Gzip(TextLike(200_000, 6));
            foreach (int cut in new[] { 1, 8, 9, 40_000, gz.Length - 5 })
            {
                using var s = OpenWith(inflater, new MemoryStream(gz, 0, gz.Length - cut));
                Assert.Throws<EndOfStreamException>(() => ReadAll(s, 65536));
            }
        }

        [Theory]
        [MemberData(nameof(Inflaters))]
        public void DamagedDeflateDataIsInvalidData(string inflater)
        {
            var gz = Gzip(TextLike(200_000, 7));
            for (int i = 20; i < 60; i++) gz[i] ^= 0x5a;
            using var s = OpenWith(inflater, new MemoryStream(gz));
            Assert.Throws<InvalidDataException>(() => ReadAll(s, 65536));
        }
    }
}
