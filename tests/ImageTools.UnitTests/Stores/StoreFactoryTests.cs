using System.IO;
using ImageTools.Stores;
using Xunit;

namespace ImageTools.UnitTests.Stores
{
    /// <summary>What a path is recognized as: each fixture was made by the tool whose layout it is (tests/Fixtures scripts).</summary>
    public class StoreFactoryTests
    {
        [Theory]
        [InlineData("data/oci-layout", StoreKind.OciLayout)]          // skopeo copy oci:
        [InlineData("data/oci-archive.tar", StoreKind.OciArchive)]    // skopeo copy oci-archive:
        [InlineData("data/docker-archive.tar", StoreKind.DockerArchive)]      // skopeo copy docker-archive:
        [InlineData("data/docker-save-legacy.tar", StoreKind.DockerArchive)]  // docker save (20.10)
        [InlineData("data/ctr-export.tar", StoreKind.DockerArchive)]  // ctr images export: index.json and manifest.json
        [InlineData("data/dir-base", StoreKind.SkopeoDirectory)]      // skopeo copy dir:
        [InlineData("containerd/root", StoreKind.Containerd)]         // containerd 1.6's root
        public void Recognizes_each_fixture_as_the_layout_its_tool_wrote(string fixture, StoreKind kind)
        {
            using var store = StoreFactory.Open(FixtureFiles.Under(fixture.Split('/')));
            Assert.Equal(kind, store.Kind);
            Assert.NotEmpty(store.Images);
        }

        [Fact]
        public void Recognizes_registry_storage_from_the_folder_above_docker_registry_v2()
        {
            using var dir = new TempFolder();
            FixtureFiles.Run("tar", "-xf", FixtureFiles.Under("registry", "storage.tar"), "-C", dir.Path);
            Assert.True(Directory.Exists(Path.Combine(dir.Path, "docker", "registry", "v2")), "storage.tar holds docker/registry/v2");
            using var store = StoreFactory.Open(dir.Path);
            Assert.Equal(StoreKind.Registry, store.Kind);
        }

        [Fact]
        public void A_gzip_layer_is_a_compressed_tar_but_StoreNotRecognized_as_an_image_archive()
        {
            // a gzip layer blob of the layout (file(1): gzip compressed data): a compressed tar is read in place, and
            // this one holds a root filesystem, not an image archive
            string gzip = FixtureFiles.Data("oci-layout/blobs/sha256/074efeb85877c16cab22183c3a5b3460d75543ae47c261d2a70dce0cfa210bc5");
            var e = Assert.Throws<ImageToolsException>(() => StoreFactory.Open(gzip));
            Assert.Equal(ErrorId.StoreNotRecognized, e.ErrorId);
            Assert.Contains("neither index.json", e.Message);
        }

        [Fact]
        public void A_folder_or_file_that_is_no_store_is_StoreNotRecognized_and_a_missing_path_FileNotFound()
        {
            using var dir = new TempFolder();
            Assert.Equal(ErrorId.StoreNotRecognized, Assert.Throws<ImageToolsException>(() => StoreFactory.Open(dir.Path)).ErrorId);
            Assert.Equal(ErrorId.StoreNotRecognized,
                Assert.Throws<ImageToolsException>(() => StoreFactory.Open(FixtureFiles.Data("oci-layout/index.json"))).ErrorId);
            Assert.Equal(ErrorId.FileNotFound,
                Assert.Throws<ImageToolsException>(() => StoreFactory.Open(Path.Combine(dir.Path, "nothing"))).ErrorId);
        }
    }
}
