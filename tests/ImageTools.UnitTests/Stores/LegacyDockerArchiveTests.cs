using System.Linq;
using System.Text.Json;
using ImageTools.Stores;
using Xunit;

namespace ImageTools.UnitTests.Stores
{
    /// <summary>
    /// docker save archives without index.json (dockerd 20.10's, skopeo's docker-archive with layer.tar symlinks, one
    /// with gzip layer.tar entries, an untagged one): the names are manifest.json's RepoTags, and the synthesized manifest
    /// has the config and layer digests skopeo's docker-archive transport reports (docker save semantics).
    /// </summary>
    public class LegacyDockerArchiveTests
    {
        [Theory]
        [InlineData("docker-save-legacy.tar")]
        [InlineData("docker-archive.tar")]
        [InlineData("docker-archive-gzip.tar")]
        [InlineData("docker-save-untagged.tar")]
        public void Names_are_the_RepoTags_of_manifest_json(string fixture)
        {
            string archive = FixtureFiles.Data(fixture);
            using var manifest = JsonDocument.Parse(FixtureFiles.TarMember(archive, "manifest.json"));
            var expected = manifest.RootElement.EnumerateArray()
                .SelectMany(e => e.TryGetProperty("RepoTags", out var t) && t.ValueKind == JsonValueKind.Array
                    ? t.EnumerateArray().Select(x => x.GetString()) : new string?[] { null })
                .OrderBy(n => n, System.StringComparer.Ordinal).ToList();
            Assert.NotEmpty(expected);
            using var store = new ArchiveStore(archive);
            Assert.Equal(StoreKind.DockerArchive, store.Kind);
            Assert.Empty(store.Problems);
            Assert.Equal(expected, store.Images.Select(i => i.Name).OrderBy(n => n, System.StringComparer.Ordinal).ToList());
        }

        [Theory]
        [InlineData("docker-save-legacy.tar", "base:1.0", "docker-save-legacy.base_1.0")]
        [InlineData("docker-save-legacy.tar", "app:2.0", "docker-save-legacy.app_2.0")]
        [InlineData("docker-save-legacy.tar", "app:latest", "docker-save-legacy.app_latest")]
        [InlineData("docker-archive.tar", "docker.io/library/app:2.0", "docker-archive.app_2.0")]
        [InlineData("docker-archive.tar", "docker.io/library/app:latest", "docker-archive.app_latest")]
        [InlineData("docker-save-untagged.tar", null, "docker-save-untagged.0")]
        public void The_synthesized_manifest_has_the_config_and_layers_skopeo_reports(string fixture, string? name, string recorded)
        {
            using var store = new ArchiveStore(FixtureFiles.Data(fixture));
            var root = StoreAssert.Named(store, name).Root;
            var (config, layers) = StoreAssert.ConfigAndLayers(StoreAssert.Manifest(store, root));
            var (skopeoConfig, skopeoLayers) = StoreAssert.ConfigAndLayers(FixtureFiles.Expected(recorded + ".raw.json"));
            Assert.Equal(skopeoConfig, config);
            Assert.Equal(skopeoLayers, layers);
            StoreAssert.OpensTo(store, config);
        }

        [Fact]
        public void The_layers_of_dockerd_s_save_open_to_the_DiffIDs_dockerd_reports()
        {
            using var store = new ArchiveStore(FixtureFiles.Data("docker-save-legacy.tar"));
            var images = FixtureFiles.Expected("dockerd.image-inspect.json").EnumerateArray().ToList();
            Assert.Equal(3, images.Count); // base:1.0, app:2.0, app:latest (one image, two tags)
            foreach (var image in images)
            {
                var diffIds = image.GetProperty("RootFS").GetProperty("Layers").EnumerateArray().Select(l => l.GetString()!).ToList();
                foreach (var tag in image.GetProperty("RepoTags").EnumerateArray())
                {
                    var (config, layers) = StoreAssert.ConfigAndLayers(StoreAssert.Manifest(store, StoreAssert.Named(store, tag.GetString()).Root));
                    Assert.Equal(image.GetProperty("Id").GetString(), config);
                    Assert.Equal(diffIds, layers);
                }
                foreach (var d in diffIds) StoreAssert.OpensTo(store, d);
            }
        }

        [Fact]
        public void Gzip_layer_entries_stay_as_stored_and_inflate_to_the_layers_skopeo_reports()
        {
            // skopeo's docker-archive transport reports the uncompressed layers (DiffIDs); the store keeps the
            // gzip entries as they are, so each inflates (gzip -dc) to the layer skopeo names in the same place.
            string archive = FixtureFiles.Data("docker-archive-gzip.tar");
            using var store = new ArchiveStore(archive);
            var (config, layers) = StoreAssert.ConfigAndLayers(StoreAssert.Manifest(store, StoreAssert.Named(store, "docker.io/library/app:2.0").Root));
            var (skopeoConfig, skopeoLayers) = StoreAssert.ConfigAndLayers(FixtureFiles.Expected("docker-archive-gzip.app_2.0.raw.json"));
            Assert.Equal(skopeoConfig, config);
            Assert.Equal(skopeoLayers.Count, layers.Count);
            for (int i = 0; i < layers.Count; i++)
            {
                StoreAssert.OpensTo(store, layers[i]);
                using var blob = store.OpenBlob(ImageTools.Oci.Digest.Parse(layers[i]));
                using var inflated = new System.IO.Compression.GZipStream(blob, System.IO.Compression.CompressionMode.Decompress);
                Assert.Equal(skopeoLayers[i], FixtureFiles.Sha256(inflated));
            }
        }

        [Theory]
        [InlineData("cdc2b1efb0b685fdfd5eddd15df240e28be53195cf1ac5d6dde594d7a9e45ed6.json", "sha256:cdc2b1efb0b685fdfd5eddd15df240e28be53195cf1ac5d6dde594d7a9e45ed6")]
        [InlineData("blobs/sha256/cdc2b1efb0b685fdfd5eddd15df240e28be53195cf1ac5d6dde594d7a9e45ed6", "sha256:cdc2b1efb0b685fdfd5eddd15df240e28be53195cf1ac5d6dde594d7a9e45ed6")]
        [InlineData("0dcf76897705470191b56841802a77a64f67a4181f51ae5289d74da08a11069c/layer.tar", null)]
        [InlineData("config.json", null)]
        public void A_config_name_states_its_digest_only_when_named_by_it(string entry, string? expected)
        {
            // the config names docker save (<hex>.json, see manifest.json of docker-save-legacy.tar) and Docker 25+ (blobs/sha256/<hex>) write
            Assert.Equal(expected, LegacyDockerArchive.StatedDigest(entry)?.ToString());
        }
    }
}
