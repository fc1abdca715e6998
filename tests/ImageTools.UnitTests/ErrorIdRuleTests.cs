using ImageTools.Oci;
using ImageTools.Stores;
using Xunit;

namespace ImageTools.UnitTests
{
    /// <summary>One error id per kind of wrong.</summary>
    public class ErrorIdRuleTests
    {
        [Theory]
        [InlineData("sha256:xyz")]
        [InlineData("sha256:../../..")]
        [InlineData("sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855")]
        [InlineData("sha256:e3b0c442")]
        public void AManifestWithAMalformedDigestIsInvalidDigest(string digest)
        {
            string json = "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + digest + "\",\"size\":2},\"layers\":[]}";
            var parse = Assert.Throws<ContentFormatException>(() => ImageManifest.Parse(System.Text.Encoding.UTF8.GetBytes(json), "manifest"));
            // wrapped as a store wraps it: MalformedContent becomes InvalidDigest because of what is malformed
            var e = new ImageToolsException(ErrorId.MalformedContent, parse.Message, "x", "y", parse);
            Assert.Equal(ErrorId.InvalidDigest, e.ErrorId);
        }

        [Fact]
        public void OtherMalformedContentStaysMalformedContent()
        {
            var parse = Assert.Throws<ContentFormatException>(() => ImageManifest.Parse(System.Text.Encoding.UTF8.GetBytes("{\"schemaVersion\":2}"), "manifest"));
            Assert.Equal(ErrorId.MalformedContent, new ImageToolsException(ErrorId.MalformedContent, parse.Message, null, null, parse).ErrorId);
        }

        [Theory]
        [InlineData("ce7dbf61f5c5e95fb4800c75555defdffd448fe6ed3dee0e4c1a8cd3abf19266.json", "sha256:ce7dbf61f5c5e95fb4800c75555defdffd448fe6ed3dee0e4c1a8cd3abf19266")]
        [InlineData("blobs/sha256/ce7dbf61f5c5e95fb4800c75555defdffd448fe6ed3dee0e4c1a8cd3abf19266", "sha256:ce7dbf61f5c5e95fb4800c75555defdffd448fe6ed3dee0e4c1a8cd3abf19266")]
        [InlineData("config.json", null)]
        [InlineData("CE7DBF61F5C5E95FB4800C75555DEFDFFD448FE6ED3DEE0E4C1A8CD3ABF19266.json", null)]
        public void ALegacyConfigNameStatesItsDigest(string name, string? digest)
        {
            Assert.Equal(digest, LegacyDockerArchive.StatedDigest(name)?.ToString());
        }
    }
}
