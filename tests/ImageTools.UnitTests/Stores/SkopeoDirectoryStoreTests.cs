using System.IO;
using ImageTools.Stores;
using Xunit;

namespace ImageTools.UnitTests.Stores
{
    /// <summary>skopeo's dir: layout (skopeo copy ... dir:dir-base) against skopeo's recorded answers about it.</summary>
    public class SkopeoDirectoryStoreTests
    {
        private static readonly string Dir = FixtureFiles.Data("dir-base");

        [Fact]
        public void Is_recognized_by_version_and_manifest_json()
        {
            Assert.True(SkopeoDirectoryStore.Recognize(Dir));
            Assert.False(SkopeoDirectoryStore.Recognize(FixtureFiles.Data("oci-layout")));
        }

        [Fact]
        public void Holds_one_unnamed_image_whose_manifest_is_the_one_skopeo_inspects()
        {
            using var store = new SkopeoDirectoryStore(Dir);
            Assert.Equal(StoreKind.SkopeoDirectory, store.Kind);
            Assert.Empty(store.Problems);
            var image = Assert.Single(store.Images);
            Assert.Null(image.Name);
            Assert.Equal(FixtureFiles.Expected("dir-base.inspect.json").GetProperty("Digest").GetString(), image.Root.Digest.ToString());
            Assert.Equal(new FileInfo(Path.Combine(Dir, "manifest.json")).Length, image.Root.Size);
            var (config, layers) = StoreAssert.ConfigAndLayers(StoreAssert.Manifest(store, image.Root));
            var (skopeoConfig, skopeoLayers) = StoreAssert.ConfigAndLayers(FixtureFiles.Expected("dir-base.raw.json"));
            Assert.Equal(skopeoConfig, config);
            Assert.Equal(skopeoLayers, layers);
        }

        [Fact]
        public void Lists_the_files_named_by_hex_and_the_manifest_and_each_opens_to_its_digest()
        {
            using var store = new SkopeoDirectoryStore(Dir);
            var blobs = FixtureFiles.BlobFileDigests(Dir);
            Assert.Equal(4, blobs.Count); // config and three layers: ls dir-base
            blobs.Add(FixtureFiles.Expected("dir-base.inspect.json").GetProperty("Digest").GetString()!); // manifest.json
            StoreAssert.HoldsExactly(store, blobs);
        }
    }
}
