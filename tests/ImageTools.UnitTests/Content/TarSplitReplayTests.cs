using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using ImageTools;
using ImageTools.Content;
using Xunit;

namespace ImageTools.UnitTests.Content
{
    public class TarSplitReplayTests
    {
        private sealed class MemorySource : ITarSplitFileSource
        {
            public readonly Dictionary<string, byte[]> Files = new Dictionary<string, byte[]>();
            public Stream Open(string cleanName) =>
                Files.TryGetValue(cleanName, out var b) ? new MemoryStream(b)
                : throw new ImageToolsException(ErrorId.TarSplitMismatch, $"missing {cleanName}", cleanName);
            public string Describe(string cleanName) => "mem:" + cleanName;
        }

        private static string Seg(byte[] b, int pos) => $"{{\"type\":2,\"payload\":\"{Convert.ToBase64String(b)}\",\"position\":{pos}}}";
        private static string File(string name, byte[] content, int pos)
        {
            var c = new Crc64Iso(); c.Append(content, 0, content.Length);
            return $"{{\"type\":1,\"name\":\"{name}\",\"size\":{content.Length},\"payload\":\"{Convert.ToBase64String(c.GetBytes())}\",\"position\":{pos}}}";
        }

        private static byte[] Gzip(string text)
        {
            var ms = new MemoryStream();
            using (var gz = new GZipStream(ms, CompressionLevel.Fastest, true)) { var b = Encoding.UTF8.GetBytes(text); gz.Write(b, 0, b.Length); }
            return ms.ToArray();
        }

        private static byte[] Replay(string jsonLines, ITarSplitFileSource src)
        {
            var reader = new TarSplitReader(new GZipStream(new MemoryStream(Gzip(jsonLines)), CompressionMode.Decompress), "test");
            using var s = new TarSplitReplayStream(reader, src);
            var outMs = new MemoryStream();
            var buf = new byte[7]; // odd buffer size to cross record boundaries
            int n; while ((n = s.Read(buf, 0, buf.Length)) > 0) outMs.Write(buf, 0, n);
            return outMs.ToArray();
        }

        [Fact]
        public void SegmentsAndFilesAreInterleavedInOrder()
        {
            var src = new MemorySource();
            src.Files["etc/a.txt"] = Encoding.ASCII.GetBytes("hello world, this is a file");
            var h1 = Enumerable.Repeat((byte)1, 512).ToArray();
            var pad = new byte[512 - 27];
            var eof = new byte[1024];
            string lines = string.Join("\n", Seg(h1, 0), File("./etc/a.txt", src.Files["etc/a.txt"], 1), Seg(pad, 2),
                "{\"type\":1,\"name\":\"etc/empty\",\"size\":0,\"payload\":null,\"position\":3}", Seg(eof, 4), Seg(new byte[0], 5)) + "\n";
            var got = Replay(lines, src);
            var want = h1.Concat(src.Files["etc/a.txt"]).Concat(pad).Concat(eof).ToArray();
            Assert.Equal(want, got);
            Assert.Equal(want.Length, TarLengthOf(lines));
        }

        private static long TarLengthOf(string lines)
        {
            string path = Path.GetTempFileName();
            try { System.IO.File.WriteAllBytes(path, Gzip(lines)); return TarSplitReader.TarLength(path); }
            finally { System.IO.File.Delete(path); }
        }

        [Fact]
        public void ChangedFileNamesTheFile()
        {
            var src = new MemorySource();
            var original = Encoding.ASCII.GetBytes("original content");
            src.Files["data/x.bin"] = Encoding.ASCII.GetBytes("ORIGINAL content");
            string lines = File("data/x.bin", original, 0) + "\n";
            var e = Assert.Throws<ImageToolsException>(() => Replay(lines, src));
            Assert.Equal(ErrorId.TarSplitMismatch, e.ErrorId);
            Assert.Contains("data/x.bin", e.Message);
            Assert.Contains("CRC-64", e.Message);
        }

        [Fact]
        public void ShorterOrLongerFileIsReported()
        {
            var src = new MemorySource();
            var original = Encoding.ASCII.GetBytes("0123456789");
            src.Files["f"] = Encoding.ASCII.GetBytes("01234");
            var e = Assert.Throws<ImageToolsException>(() => Replay(File("f", original, 0) + "\n", src));
            Assert.Contains("5 bytes long", e.Message);
            src.Files["f"] = Encoding.ASCII.GetBytes("0123456789abc");
            e = Assert.Throws<ImageToolsException>(() => Replay(File("f", original, 0) + "\n", src));
            Assert.Contains("longer", e.Message);
        }

        [Fact]
        public void ClimbingPathsAreRefused()
        {
            var src = new MemorySource();
            var e = Assert.Throws<ImageToolsException>(() => Replay(File("../../etc/passwd", new byte[] { 1 }, 0) + "\n", src));
            Assert.Equal(ErrorId.UnsafeEntryPath, e.ErrorId);
        }

        [Fact]
        public void GarbageLineIsMalformedWithLineNumber()
        {
            var e = Assert.Throws<ImageToolsException>(() => Replay(Seg(new byte[] { 1 }, 0) + "\n{not json\n", new MemorySource()));
            Assert.Equal(ErrorId.MalformedContent, e.ErrorId);
            Assert.Contains("Line 2", e.Message);
        }
    }
}
