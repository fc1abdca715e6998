using ImageTools.Content;
using Xunit;

namespace ImageTools.UnitTests.Content
{
    public class WhiteoutTests
    {
        [Theory]
        [InlineData(".wh..")]
        [InlineData(".wh...")]
        [InlineData("data/.wh..")]
        [InlineData("data/.wh...")]
        [InlineData(".wh.")]
        public void AWhiteoutOfDotOrDotDotIsUnsafe(string name)
        {
            Assert.Null(EntryPath.Clean(name, out var reason));
            Assert.Contains("whiteout", reason);
        }

        [Theory]
        [InlineData("data/.wh.file", "data/file")]
        [InlineData(".wh....x", "...x")]
        public void OtherWhiteoutsStillHideTheirName(string name, string hidden)
        {
            var clean = EntryPath.Clean(name, out var reason);
            Assert.Null(reason);
            Assert.Equal(hidden, Whiteout.HiddenPath(clean!));
        }

        [Fact]
        public void TheOpaqueMarkerIsNotUnsafe()
        {
            Assert.Equal("data/.wh..wh..opq", EntryPath.Clean("data/.wh..wh..opq", out _));
        }
    }
}
