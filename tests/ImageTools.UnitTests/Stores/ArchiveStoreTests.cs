using System.Linq;
using ImageTools.Stores;
using Xunit;

namespace ImageTools.UnitTests.Stores
{
    /// <summary>An oci-archive read in place (skopeo copy oci-archive:), against tar's and skopeo's recorded answers.</summary>
    public class ArchiveStoreTests
    {
        private static readonly string Archive = FixtureFiles.Data("oci-archive.tar");

        [Fact]
        public void Is_an_oci_archive_naming_the_image_skopeo_inspects()
        {
            using var store = new ArchiveStore(Archive);
            Assert.Equal(StoreKind.OciArchive, store.Kind);
            Assert.Empty(store.Problems);
            var image = Assert.Single(store.Images);
            Assert.Equal("base:1.0", image.Name);
            Assert.Equal(FixtureFiles.Expected("oci-archive.base_1.0.inspect.json").GetProperty("Digest").GetString(), image.Root.Digest.ToString());
            var (config, layers) = StoreAssert.ConfigAndLayers(StoreAssert.Manifest(store, image.Root));
            var (skopeoConfig, skopeoLayers) = StoreAssert.ConfigAndLayers(FixtureFiles.Expected("oci-archive.base_1.0.raw.json"));
            Assert.Equal(skopeoConfig, config);
            Assert.Equal(skopeoLayers, layers);
        }

        [Fact]
        public void Lists_the_blob_entries_tar_lists_and_each_opens_to_its_digest()
        {
            // tar --numeric-owner --full-time -tvf: mode owner size date time name
            var blobs = FixtureFiles.ExpectedLines("oci-archive.tar-tv.txt")
                .Select(l => l.Split(' ', System.StringSplitOptions.RemoveEmptyEntries))
                .Where(f => f[0].StartsWith('-') && f[5].StartsWith("blobs/sha256/"))
                .Select(f => "sha256:" + f[5].Substring("blobs/sha256/".Length)).ToList();
            using var store = new ArchiveStore(Archive);
            StoreAssert.HoldsExactly(store, blobs);
            Assert.Contains("blobs/sha256/", store.DescribeBlob(ImageTools.Oci.Digest.Parse(blobs[0])));
        }

        [Fact]
        public void Recognizes_a_tar_and_not_a_json_file()
        {
            Assert.True(ArchiveStore.Recognize(Archive));
            Assert.False(ArchiveStore.Recognize(FixtureFiles.Data("oci-layout/index.json")));
        }

        [Fact]
        public void A_tar_with_neither_index_json_nor_manifest_json_is_StoreNotRecognized()
        {
            using var dir = new TempFolder();
            string tar = System.IO.Path.Combine(dir.Path, "plain.tar");
            FixtureFiles.Run("tar", "-cf", tar, "-C", FixtureFiles.Data("dir-base"), "version");
            var e = Assert.Throws<ImageToolsException>(() => new ArchiveStore(tar));
            Assert.Equal(ErrorId.StoreNotRecognized, e.ErrorId);
        }
    }
}
