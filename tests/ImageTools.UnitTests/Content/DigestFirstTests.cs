using System.IO;
using System.IO.Compression;
using System.Security.Cryptography;
using ImageTools.Content;
using ImageTools.Oci;
using Xunit;

namespace ImageTools.UnitTests.Content
{
    /// <summary>A blob whose bytes are wrong is reported as DigestMismatch, not as the decompression error it causes.</summary>
    public class DigestFirstTests
    {
        private static Digest DigestOf(byte[] b) => Digest.Parse("sha256:" + System.Convert.ToHexString(SHA256.HashData(b)).ToLowerInvariant());

        private static byte[] Gzip(byte[] data)
        {
            var ms = new MemoryStream();
            using (var g = new GZipStream(ms, CompressionLevel.Optimal, true)) g.Write(data);
            return ms.ToArray();
        }

        private static (byte[] Good, byte[] Flipped) Layer()
        {
            var data = new byte[200_000];
            new System.Random(7).NextBytes(data);
            var good = Gzip(data);
            var flipped = (byte[])good.Clone();
            flipped[flipped.Length / 2] ^= 0x20;
            return (good, flipped);
        }

        [Fact]
        public void AFlippedByteInAGzipBlobIsDigestMismatch()
        {
            var (good, flipped) = Layer();
            using var blob = new VerifyingStream(new MemoryStream(flipped), DigestOf(good), good.Length, "blobs/sha256/x");
            using var plain = Decompression.Open(blob, "layer 0", out _);
            var e = Assert.Throws<BlobVerificationException>(() => plain.CopyTo(Stream.Null));
            Assert.Equal(ErrorId.DigestMismatch, e.ErrorId);
            Assert.Equal(DigestOf(flipped), e.Actual);
        }

        [Fact]
        public void DamageTheDigestAgreesWithIsStillADecompressionError()
        {
            var (_, flipped) = Layer();
            using var blob = new VerifyingStream(new MemoryStream(flipped), DigestOf(flipped), flipped.Length, "blobs/sha256/x");
            using var plain = Decompression.Open(blob, "layer 0", out _);
            var e = Assert.Throws<ImageToolsException>(() => plain.CopyTo(Stream.Null));
            Assert.Equal(ErrorId.CompressedStreamTruncated, e.ErrorId);
        }
    }
}
