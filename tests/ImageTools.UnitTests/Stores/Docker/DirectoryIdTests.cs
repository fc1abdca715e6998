using System;
using System.Text.RegularExpressions;
using ImageTools.Stores.Docker;
using Xunit;

namespace ImageTools.UnitTests.Stores.Docker
{
    public class DirectoryIdTests
    {
        // the grammar of a storage-driver directory id (a cache-id, mount-id or init-id), as a regular expression
        private static readonly Regex Grammar = new Regex(@"\A[A-Za-z0-9][A-Za-z0-9_.-]{0,127}\z");

        [Theory]
        [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", true)]
        [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef-init", true)]
        [InlineData("a", true)]
        [InlineData("", false)]
        [InlineData(".", false)]
        [InlineData("..", false)]
        [InlineData("-x", false)]
        [InlineData("_x", false)]
        [InlineData("a/b", false)]
        [InlineData("../etc", false)]
        [InlineData("abc\n", false)]
        [InlineData("ab c", false)]
        [InlineData("é", false)]
        public void Known_ids(string id, bool valid) => Assert.Equal(valid, DockerRoot.IsDirectoryId(id));

        [Fact]
        public void At_most_128_characters()
        {
            Assert.True(DockerRoot.IsDirectoryId(new string('a', 128)));
            Assert.False(DockerRoot.IsDirectoryId(new string('a', 129)));
        }

        [Fact]
        public void Null_is_no_id() => Assert.False(DockerRoot.IsDirectoryId(null));

        [Fact]
        public void Agrees_with_the_grammar_on_random_strings_and_lengths_around_the_limit()
        {
            const string alphabet = "aZ09_.-/ \n:é\0";
            var random = new Random(14);
            for (int n = 0; n < 20000; n++)
            {
                int length = n % 10 == 0 ? 126 + random.Next(5) : random.Next(6);
                var chars = new char[length];
                for (int i = 0; i < length; i++) chars[i] = alphabet[random.Next(alphabet.Length)];
                string id = new string(chars);
                Assert.True(Grammar.IsMatch(id) == DockerRoot.IsDirectoryId(id), $"'{id}'");
            }
        }

        [Theory]
        [InlineData("../abc123/diff", "abc123")]
        [InlineData("../abc123-init/diff", "abc123-init")]
        [InlineData("../abc/def/diff", null)]
        [InlineData("../../x/diff", null)]
        [InlineData("../abc/diff/", null)]
        [InlineData("./abc/diff", null)]
        [InlineData("../abc/dif", null)]
        [InlineData("..//diff", null)]
        [InlineData("/abs/diff", null)]
        [InlineData("../-x/diff", null)]
        public void A_short_links_target_names_a_directory_only_in_dockerds_form(string target, string? id) =>
            Assert.Equal(id, OverlayScanner.DirectoryOfShortLink(target));
    }
}
