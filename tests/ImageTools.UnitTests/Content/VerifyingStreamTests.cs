using System.IO;
using System.Security.Cryptography;
using ImageTools.Content;
using ImageTools.Oci;
using Xunit;

namespace ImageTools.UnitTests.Content
{
    public class VerifyingStreamTests
    {
        private static readonly byte[] Data = System.Text.Encoding.ASCII.GetBytes("hello, blob");
        private static Digest DigestOf(byte[] b) => Digest.Parse("sha256:" + System.Convert.ToHexString(SHA256.HashData(b)).ToLowerInvariant());

        [Fact]
        public void PassesMatchingContent()
        {
            using var s = new VerifyingStream(new MemoryStream(Data), DigestOf(Data), Data.Length, "here");
            s.CopyTo(Stream.Null);
            Assert.Equal(Data.Length, s.BytesRead);
        }

        [Fact]
        public void FailsOnDigestMismatchAtTheEnd()
        {
            var other = (byte[])Data.Clone();
            other[0] ^= 1;
            using var s = new VerifyingStream(new MemoryStream(other), DigestOf(Data), Data.Length, "blobs/sha256/x");
            var e = Assert.Throws<BlobVerificationException>(() => s.CopyTo(Stream.Null));
            Assert.Equal(ErrorId.DigestMismatch, e.ErrorId);
            Assert.Equal(DigestOf(other), e.Actual);
            Assert.Contains("blobs/sha256/x", e.Message);
        }

        [Fact]
        public void FailsAsSoonAsThereAreTooManyBytes()
        {
            using var s = new VerifyingStream(new MemoryStream(Data), DigestOf(Data), Data.Length - 1, "x");
            var e = Assert.Throws<BlobVerificationException>(() => s.CopyTo(Stream.Null));
            Assert.Equal(ErrorId.SizeMismatch, e.ErrorId);
        }

        [Fact]
        public void FailsOnTooFewBytes()
        {
            using var s = new VerifyingStream(new MemoryStream(Data), DigestOf(Data), Data.Length + 5, "x");
            var e = Assert.Throws<BlobVerificationException>(() => s.CopyTo(Stream.Null));
            Assert.Equal(ErrorId.SizeMismatch, e.ErrorId);
        }

        [Fact]
        public void StreamDigesterMatchesSha256OnLargeInput()
        {
            var big = new byte[5 * 1024 * 1024 + 17];
            new System.Random(7).NextBytes(big);
            var r = StreamDigester.Digest(new MemoryStream(big), Digest.Sha256);
            Assert.Equal(DigestOf(big), r.Digest);
            Assert.Equal(big.Length, r.Size);
        }
    }
}
