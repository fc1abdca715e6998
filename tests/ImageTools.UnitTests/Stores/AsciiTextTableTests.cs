using System.Text;
using ImageTools.Stores.Containerd;
using Xunit;

namespace ImageTools.UnitTests.Stores
{
    public class AsciiTextTableTests
    {
        [Fact]
        public void A_text_is_found_by_its_bytes_and_by_itself_and_others_are_not()
        {
            var table = new AsciiTextTable();
            var texts = new string[1000];
            for (int i = 0; i < texts.Length; i++)
            {
                texts[i] = "sha256:" + i.ToString("x64");
                table.Add(new TextEntry(texts[i], AsciiTextTable.Hash(Encoding.ASCII.GetBytes(texts[i]))));
            }
            Assert.Equal(1000, table.Count);
            foreach (var text in texts)
            {
                Assert.True(AsciiTextTable.TryHash(text, out uint hash));
                Assert.Equal(AsciiTextTable.Hash(Encoding.ASCII.GetBytes(text)), hash);
                Assert.Same(table.Find(text), table.Find(Encoding.ASCII.GetBytes(text)));
                Assert.Equal(text, table.Find(text)!.Text);
            }
            Assert.Null(table.Find("sha256:" + 1000.ToString("x64")));
            Assert.Null(table.Find(Encoding.ASCII.GetBytes("sha256:" + 1000.ToString("x63"))));
            Assert.False(AsciiTextTable.TryHash("sha256:é", out _));
            Assert.Null(table.Find("sha256:é"));
            Assert.Null(table.Find(Encoding.UTF8.GetBytes(texts[0].Substring(0, 70) + "é")));
            table.Clear();
            Assert.Null(table.Find(texts[0]));
        }
    }
}
