using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using ImageTools.Stores;
using Xunit;

namespace ImageTools.UnitTests.Stores
{
    /// <summary>The OCI layout fixture (skopeo copy, tests/Fixtures/New-Fixtures.sh) against its own index.json and skopeo's recorded answers.</summary>
    public class OciLayoutStoreTests
    {
        private static readonly string Layout = FixtureFiles.Data("oci-layout");

        [Fact]
        public void Is_recognized_by_its_oci_layout_file_and_nothing_else()
        {
            Assert.True(OciLayoutStore.Recognize(Layout));
            Assert.False(OciLayoutStore.Recognize(FixtureFiles.Data("dir-base")));
            Assert.False(OciLayoutStore.Recognize(Path.Combine(Layout, "blobs")));
        }

        [Fact]
        public void Names_every_entry_of_index_json_with_its_descriptor()
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Layout, "index.json")));
            var entries = doc.RootElement.GetProperty("manifests").EnumerateArray().ToList();
            Assert.Equal(5, entries.Count);
            using var store = new OciLayoutStore(Layout);
            Assert.Equal(StoreKind.OciLayout, store.Kind);
            Assert.Empty(store.Problems);
            Assert.Equal(entries.Count, store.Images.Count);
            foreach (var e in entries)
            {
                var image = StoreAssert.Named(store, e.GetProperty("annotations").GetProperty("org.opencontainers.image.ref.name").GetString());
                Assert.Equal(e.GetProperty("digest").GetString(), image.Root.Digest.ToString());
                Assert.Equal(e.GetProperty("size").GetInt64(), image.Root.Size);
                Assert.Equal(e.GetProperty("mediaType").GetString(), image.Root.MediaType);
            }
        }

        [Theory]
        [InlineData("base:1.0")]
        [InlineData("app:2.0")]
        [InlineData("app:latest")]
        [InlineData("zstd:1.0")]
        public void A_manifest_root_is_the_manifest_skopeo_inspects_with_its_config_and_layers(string name)
        {
            string recorded = "oci-layout." + name.Replace(':', '_');
            var inspect = FixtureFiles.Expected(recorded + ".inspect.json");
            var raw = FixtureFiles.Expected(recorded + ".raw.json");
            using var store = new OciLayoutStore(Layout);
            var root = StoreAssert.Named(store, name).Root;
            Assert.Equal(inspect.GetProperty("Digest").GetString(), root.Digest.ToString());
            var (config, layers) = StoreAssert.ConfigAndLayers(StoreAssert.Manifest(store, root));
            var (skopeoConfig, skopeoLayers) = StoreAssert.ConfigAndLayers(raw);
            Assert.Equal(skopeoConfig, config);
            Assert.Equal(skopeoLayers, layers);
        }

        [Fact]
        public void The_nested_index_is_the_one_skopeo_inspects_with_its_children()
        {
            using var store = new OciLayoutStore(Layout);
            var root = StoreAssert.Named(store, "multi:latest").Root;
            Assert.Equal("application/vnd.oci.image.index.v1+json", root.MediaType);
            Assert.Equal(FixtureFiles.Expected("oci-layout.multi_latest.inspect.json").GetProperty("Digest").GetString(), root.Digest.ToString());
            static List<string?> Children(JsonElement index) =>
                index.GetProperty("manifests").EnumerateArray().Select(m => m.GetProperty("digest").GetString()).ToList();
            var expected = Children(FixtureFiles.Expected("oci-layout.multi_latest.raw.json"));
            Assert.Equal(2, expected.Count);
            Assert.Equal(expected, Children(StoreAssert.Manifest(store, root)));
        }

        [Fact]
        public void Lists_every_blob_file_and_each_opens_to_its_digest()
        {
            using var store = new OciLayoutStore(Layout);
            StoreAssert.HoldsExactly(store, FixtureFiles.BlobFileDigests(Path.Combine(Layout, "blobs", "sha256")));
            Assert.Equal(Path.Combine(Layout, "blobs", "sha256", new string('0', 64)),
                store.DescribeBlob(ImageTools.Oci.Digest.FromHex("sha256", new string('0', 64))));
        }

        [Fact]
        public void A_blob_that_is_not_there_is_BlobNotFound()
        {
            using var store = new OciLayoutStore(Layout);
            var missing = ImageTools.Oci.Digest.FromHex("sha256", new string('0', 64));
            Assert.False(store.HasBlob(missing));
            var e = Assert.Throws<ImageToolsException>(() => store.OpenBlob(missing).Dispose());
            Assert.Equal(ErrorId.BlobNotFound, e.ErrorId);
        }
    }
}
