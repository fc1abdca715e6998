using ImageTools.Oci;
using Xunit;

namespace ImageTools.UnitTests.Oci
{
    public class DigestTests
    {
        private const string Hex64 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

        [Fact]
        public void ParsesSha256()
        {
            var d = Digest.Parse("sha256:" + Hex64);
            Assert.Equal("sha256", d.Algorithm);
            Assert.Equal(Hex64, d.Encoded);
            Assert.Equal("e3b0c44298fc", d.Short);
            Assert.True(d.IsSupported);
        }

        [Theory]
        [InlineData("sha256:../../etc/passwd", "outside")]
        [InlineData("sha256:abc", "64 hex")]
        // image-spec descriptor.md: a sha256 encoded part is exactly 64 hex characters, so one more is not a digest
        [InlineData("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b8550", "64 hex")]
        [InlineData("sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855", "lowercase")]
        [InlineData("e3b0c44298fc", "no ':'")]
        [InlineData("", "empty")]
        [InlineData("SHA256:abc", "algorithm")]
        [InlineData("sha512:abcd", "128 hex")]
        public void RejectsInvalidDigestsAndSaysWhy(string text, string reasonPart)
        {
            var e = Assert.Throws<InvalidDigestException>(() => Digest.Parse(text));
            Assert.Contains(reasonPart, e.Message);
        }

        [Fact]
        public void AcceptsUnknownAlgorithmsByGrammarButMarksThemUnsupported()
        {
            Assert.True(Digest.TryParse("blake3:abcdef", out var d));
            Assert.False(d!.IsSupported);
        }

        [Fact]
        public void EqualityIsByValue()
        {
            Assert.Equal(Digest.Parse("sha256:" + Hex64), Digest.Parse("sha256:" + Hex64));
            Assert.True(Digest.Parse("sha256:" + Hex64) == Digest.Parse("sha256:" + Hex64));
        }
    }
}
