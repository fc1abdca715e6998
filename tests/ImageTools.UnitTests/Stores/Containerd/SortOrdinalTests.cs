using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using ImageTools.Stores.Containerd;
using Xunit;

namespace ImageTools.UnitTests.Stores.Containerd
{
    public class SortOrdinalTests
    {
        [Fact]
        public void Labels_in_bytewise_UTF8_order_end_in_ordinal_UTF16_order()
        {
            // U+E000.. sorts before U+10000.. by UTF-8 bytes (EE < F0) and after it in UTF-16 (E000 > D800)
            var keys = Enumerable.Range(0, 3000).Select(i => (i % 2 == 0 ? "\uE000" : "\U00010000") + i.ToString("D5")).ToList();
            var byBytes = keys.OrderBy(k => Encoding.UTF8.GetBytes(k), Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b))).ToList();
            var labels = byBytes.Select(k => new KeyValuePair<string, string>(k, "v" + k)).ToArray();
            Assert.NotEqual(keys.OrderBy(k => k, StringComparer.Ordinal), labels.Select(l => l.Key));

            ContainerdContentReferences.SortOrdinal(labels);

            Assert.Equal(keys.OrderBy(k => k, StringComparer.Ordinal), labels.Select(l => l.Key));
            Assert.All(labels, l => Assert.Equal("v" + l.Key, l.Value));
        }

        [Fact]
        public void Keys_that_decode_alike_keep_their_order()
        {
            var labels = new[] { Pair("b", "1"), Pair("a", "2"), Pair("b", "3"), Pair("a", "4") };
            ContainerdContentReferences.SortOrdinal(labels);
            Assert.Equal(new[] { "2", "4", "1", "3" }, labels.Select(l => l.Value));
        }

        private static KeyValuePair<string, string> Pair(string k, string v) => new KeyValuePair<string, string>(k, v);
    }
}
