using ImageTools.Stores.Docker;
using Xunit;

namespace ImageTools.UnitTests.Stores.Docker
{
    public class TextKeyTableTests
    {
        [Fact]
        public void Finds_a_key_where_it_stands_in_a_longer_text_and_nothing_else()
        {
            var table = new TextKeyTable<string>();
            table.Set("ABC", "first");
            table.Set("ABCD", "second");
            table.Set("ABC", "replaced");
            const string text = "l/ABC:l/ABCD:l/AB:l/XYZ";
            Assert.True(table.TryGet(text, 2, 3, out var v1));
            Assert.Equal("replaced", v1);
            Assert.True(table.TryGet(text, 8, 4, out var v2));
            Assert.Equal("second", v2);
            Assert.False(table.TryGet(text, 15, 2, out _));  // AB: a prefix of a key is no key
            Assert.False(table.TryGet(text, 20, 3, out _));  // XYZ
            Assert.False(table.TryGet(text, 0, 0, out _));   // nothing
        }

        [Fact]
        public void Keys_that_collide_in_a_bucket_are_told_apart()
        {
            var table = new TextKeyTable<int>();
            for (int i = 0; i < 20000; i++) table.Set("key" + i, i);
            string text = "xx" + "key12345" + "yy";
            Assert.True(table.TryGet(text, 2, 8, out var found));
            Assert.Equal(12345, found);
            for (int i = 0; i < 20000; i += 997)
            {
                string key = "key" + i;
                Assert.True(table.TryGet(key, 0, key.Length, out var value));
                Assert.Equal(i, value);
            }
        }

        [Fact]
        public void ASCII_bytes_find_the_same_keys_as_the_text_they_spell()
        {
            var table = new TextKeyTable<string>();
            table.Set("ABC", "first");
            table.Set("ABCD", "second");
            const string text = "l/ABC:l/ABCD:l/AB:l/XYZ";
            var bytes = System.Text.Encoding.ASCII.GetBytes(text);
            foreach (var (start, length) in new[] { (2, 3), (8, 4), (15, 2), (20, 3), (0, 0) })
            {
                bool inText = table.TryGet(text, start, length, out var fromText);
                Assert.Equal(inText, table.TryGet(bytes, start, length, out var fromBytes));
                Assert.Equal(fromText, fromBytes);
            }
        }
    }
}
