using System;
using System.Collections.Generic;
using System.Linq;
using ImageTools.Oci;
using ImageTools.Stores.Containerd;
using Xunit;

namespace ImageTools.UnitTests.Stores.Containerd
{
    public class ContainerdLabelsTests
    {
        private static Digest DigestNumber(int n) => Digest.Parse("sha256:" + n.ToString("x64"));

        // a manifest record whose labels name layer n as containerd.io/gc.ref.content.l.<n>, in key (text) order, as bolt keeps them
        private static ContainerdContent ManifestWithLayers(int count)
        {
            var labels = Enumerable.Range(0, count)
                .Select(n => new KeyValuePair<string, string>(ContainerdLabels.LayerRefPrefix + n, DigestNumber(n).ToString()))
                .OrderBy(kv => kv.Key, StringComparer.Ordinal).ToArray();
            var c = new ContainerdContent("default", DigestNumber(1_000_000), 1, null, null, labels, null!);
            ContainerdLabels.Decode(c, problem => throw new Exception(problem));
            return c;
        }

        [Theory]
        [InlineData(1)]
        [InlineData(12)]    // "l.10" and "l.11" come before "l.2" in key order
        [InlineData(64)]
        [InlineData(65)]
        [InlineData(20_000)] // sorted, not by insertion: key order is far from number order
        public void Layer_references_come_in_the_order_of_their_numbers_not_of_their_keys(int count)
        {
            var c = ManifestWithLayers(count);
            Assert.Equal(Enumerable.Range(0, count).Select(DigestNumber), c.LayerReferenceValues);
        }
    }
}
