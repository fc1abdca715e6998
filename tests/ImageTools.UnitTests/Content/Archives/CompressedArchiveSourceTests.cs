using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using ImageTools.Content;
using ImageTools.Content.Archives;
using Xunit;

namespace ImageTools.UnitTests.Content.Archives
{
    /// <summary>
    /// Random access into whole-file compressed data written by the real command-line tools: every region read
    /// through the restart points (or the forward cursor) equals the same bytes of the original.
    /// </summary>
    public class CompressedArchiveSourceTests : IDisposable
    {
        // The compressed files are made by the command-line tools; a row whose tool this machine lacks is left out
        // (xunit 2 has no run-time skip).
        public static IEnumerable<object[]> CompressorsWithCodec => Available(
            new object[] { "gzip -c", ".gz", ArchiveCodec.Gzip }, new object[] { "gzip -1 -c", ".gz", ArchiveCodec.Gzip },
            new object[] { "bzip2 -1 -c", ".bz2", ArchiveCodec.Bzip2 }, new object[] { "xz -1 -c", ".xz", ArchiveCodec.Xz },
            new object[] { "zstd -q -c", ".zst", ArchiveCodec.Zstd });

        public static IEnumerable<object[]> Compressors => Available(
            new object[] { "gzip -c", ".gz" }, new object[] { "bzip2 -1 -c", ".bz2" }, new object[] { "xz -1 -c", ".xz" },
            new object[] { "zstd -q -c", ".zst" });

        private static IEnumerable<object[]> Available(params object[][] rows) =>
            rows.Where(r => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
                .Any(dir => dir.Length > 0 && File.Exists(Path.Combine(dir, ((string)r[0]).Split(' ')[0]))));

        private readonly string _dir = Path.Combine(Path.GetTempPath(), "it-cas-" + Guid.NewGuid().ToString("N"));
        private readonly byte[] _original;
        private readonly string _plain;

        public CompressedArchiveSourceTests()
        {
            Directory.CreateDirectory(_dir);
            // 9 MiB that compress somewhat (so deflate makes many blocks) but not to nothing
            var rng = new Random(17);
            _original = new byte[9 << 20];
            for (int i = 0; i < _original.Length; i++) _original[i] = (byte)(rng.Next(0, 24) + (i >> 16 & 7));
            _plain = Path.Combine(_dir, "data");
            File.WriteAllBytes(_plain, _original);
        }

        public void Dispose() => Directory.Delete(_dir, true);

        private string Compress(string command, string ext)
        {
            string target = _plain + ext;
            var psi = new ProcessStartInfo("/bin/sh", new[] { "-c", $"{command} < \"$0\" > \"$1\"", _plain, target }) { UseShellExecute = false };
            using var p = Process.Start(psi)!;
            p.WaitForExit();
            Assert.Equal(0, p.ExitCode);
            return target;
        }

        private static IArchiveSource Index(string path, out long length)
        {
            var source = ArchiveSources.Open(path);
            using var first = source.OpenFirstPass();
            var sink = new byte[1 << 16];
            length = 0;
            int n;
            while ((n = first.Read(sink, 0, sink.Length)) > 0) length += n;
            source.CompleteFirstPass(first);
            return source;
        }

        private void AssertRegion(IArchiveSource source, long offset, int length)
        {
            using var s = source.OpenRegion(offset, length);
            var got = new byte[length];
            Assert.Equal(length, s.ReadFully(got));
            Assert.True(got.AsSpan().SequenceEqual(_original.AsSpan((int)offset, length)), $"region at {offset} differs");
        }

        [Theory]
        [MemberData(nameof(CompressorsWithCodec))]
        public void EveryRegionEqualsTheOriginal(string command, string ext, ArchiveCodec codec)
        {
            var source = Index(Compress(command, ext), out long length);
            Assert.Equal(codec, source.Codec);
            Assert.Equal(_original.Length, length);
            // late first (a fresh start), then earlier, then in order, across restart points and at the very end
            foreach (long offset in new long[] { 8_000_000, 5, 2_097_151, 2_097_152, 4_500_000, 6_291_400, _original.Length - 1000 })
                AssertRegion(source, offset, 1000);
            AssertRegion(source, 0, _original.Length);
        }

        [Fact]
        public void GzipKeepsRestartPointsEveryTwoMebibytes()
        {
            var source = Index(Compress("gzip -c", ".gz"), out _);
            long points = source.IndexBytes / (ZLib.WindowSize + 64);
            Assert.InRange(points, 4, 6);
        }

        [Fact]
        public void ConcatenatedGzipMembersAndTrailingZerosAreOneStream()
        {
            string gz = Compress("gzip -c", ".gz");
            string twice = Path.Combine(_dir, "twice.gz");
            byte[] half1 = _original.AsSpan(0, 3 << 20).ToArray();
            File.WriteAllBytes(_plain, half1);
            string a = Compress("gzip -c", ".a.gz");
            File.WriteAllBytes(_plain, _original.AsSpan(3 << 20).ToArray());
            string b = Compress("gzip -c", ".b.gz");
            using (var o = File.Create(twice))
            {
                o.Write(File.ReadAllBytes(a));
                o.Write(File.ReadAllBytes(b));
                o.Write(new byte[1024]);
            }
            var source = Index(twice, out long length);
            Assert.Equal(_original.Length, length);
            foreach (long offset in new long[] { (3 << 20) - 500, 7_000_000, 100 })
                AssertRegion(source, offset, 1000);
        }

        [Theory]
        [MemberData(nameof(Compressors))]
        public void ATruncatedFileIsArchiveTruncated(string command, string ext)
        {
            string path = Compress(command, ext);
            var bytes = File.ReadAllBytes(path);
            File.WriteAllBytes(path, bytes.AsSpan(0, bytes.Length - 100).ToArray());
            var e = Assert.Throws<ImageToolsException>(() => Index(path, out _));
            Assert.Equal(ErrorId.ArchiveTruncated, e.ErrorId);
            Assert.Contains(path, e.Message);
        }

        [Theory]
        [MemberData(nameof(Compressors))]
        public void AFlippedByteIsArchiveCorrupt(string command, string ext)
        {
            string path = Compress(command, ext);
            var bytes = File.ReadAllBytes(path);
            bytes[bytes.Length / 2] ^= 0x55;
            File.WriteAllBytes(path, bytes);
            var e = Assert.Throws<ImageToolsException>(() => Index(path, out _));
            Assert.Equal(ErrorId.ArchiveCorrupt, e.ErrorId);
            Assert.Contains("byte", e.Message);
        }
    }
}
