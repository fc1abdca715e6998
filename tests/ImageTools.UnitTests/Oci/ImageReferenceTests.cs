using ImageTools.Oci;
using Xunit;

namespace ImageTools.UnitTests.Oci
{
    public class ImageReferenceTests
    {
        [Theory]
        [InlineData("base:1.0", "docker.io/library/base:1.0", "base:1.0")]
        [InlineData("docker.io/library/base:1.0", "docker.io/library/base:1.0", "base:1.0")]
        [InlineData("index.docker.io/library/base:1.0", "docker.io/library/base:1.0", "base:1.0")]
        [InlineData("aiops/data-cleaning:zdgt", "docker.io/aiops/data-cleaning:zdgt", "aiops/data-cleaning:zdgt")]
        [InlineData("localhost/app", "localhost/app", "localhost/app")]
        [InlineData("registry.example.com:5000/team/app:2.0", "registry.example.com:5000/team/app:2.0", "registry.example.com:5000/team/app:2.0")]
        [InlineData("127.0.0.1:5000/org/team/app", "127.0.0.1:5000/org/team/app", "127.0.0.1:5000/org/team/app")]
        // distribution/reference familiarizeName drops "library/" only when no '/' follows it
        [InlineData("library/team/app:1", "docker.io/library/team/app:1", "library/team/app:1")]
        public void NormalizesLikeDocker(string input, string full, string familiar)
        {
            var r = ImageReference.Parse(input);
            Assert.Equal(full, r.ToString());
            Assert.Equal(familiar, r.FamiliarName);
        }

        [Fact]
        public void ParsesDigestReferences()
        {
            var r = ImageReference.Parse("app@sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
            Assert.Null(r.Tag);
            Assert.Equal("sha256", r.Digest!.Algorithm);
            Assert.False(r.IsNameOnly);
            Assert.True(ImageReference.Parse("app").IsNameOnly);
        }

        [Theory]
        [InlineData("Base:1.0", "lowercase")]
        [InlineData("base:-bad", "tag")]
        [InlineData("base@sha256:xyz", "digest")]
        [InlineData("a//b", "component")]
        [InlineData("", "empty")]
        public void RejectsInvalidNames(string input, string reasonPart)
        {
            Assert.False(ImageReference.TryParse(input, out _, out var reason));
            Assert.Contains(reasonPart, reason);
        }

        [Fact]
        public void PortIsNotATag()
        {
            var r = ImageReference.Parse("localhost:5000/app");
            Assert.Equal("localhost:5000", r.Domain);
            Assert.Null(r.Tag);
        }
    }
}
