using Xunit;

namespace ImageTools.UnitTests.Objects
{
    public class DisplayTextTests
    {
        [Fact]
        public void ControlCharactersAreWrittenAsHex()
        {
            Assert.Equal("evil\\x1b]0;title\\x07\\x1b[2J:1.0", DisplayText.Escape("evil\u001b]0;title\u0007\u001b[2J:1.0"));
            Assert.Equal("a\\x9bb\\x7f", DisplayText.Escape("a\u009bb\u007f"));
        }

        [Fact]
        public void PlainTextIsTheSameString()
        {
            const string name = "docker.io/library/app:2.0 ✓";
            Assert.Same(name, DisplayText.Escape(name));
        }

        [Fact]
        public void ListsAreEscapedItemByItemAndOtherValuesKept()
        {
            Assert.Equal(new object[] { "a\\x1b", "b" }, (object[])DisplayText.Escape((object)new[] { "a\u001b", "b" })!);
            Assert.Equal(42L, DisplayText.Escape((object)42L));
            Assert.Null(DisplayText.Escape((object?)null));
        }
    }
}
