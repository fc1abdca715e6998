using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using ImageTools.Oci;
using ImageTools.Referrers;
using Xunit;

namespace ImageTools.UnitTests.Referrers
{
    /// <summary>
    /// The descriptor a push adds to a fallback tag's index, against the index the fixture script wrote by the
    /// distribution spec's rule (tests/Fixtures/referrers: write-artifacts.py), entry by entry.
    /// </summary>
    public class ReferrerDescriptorTests
    {
        private static byte[] Blob(string digest) =>
            File.ReadAllBytes(FixtureFiles.Under("referrers", "layout", "blobs", "sha256", digest.Substring("sha256:".Length)));

        [Fact]
        public void EachEntryOfTheFixturesFallbackIndexIsWhatTheManifestSays()
        {
            using var made = JsonDocument.Parse(File.ReadAllBytes(FixtureFiles.Under("referrers", "expected", "made.json")));
            var index = ImageIndex.Parse(Blob(made.RootElement.GetProperty("fallbackIndex").GetString()!));
            Assert.Equal(3, index.Manifests.Count);
            foreach (var entry in index.Manifests)
            {
                var bytes = Blob(entry.Digest.ToString());
                var ours = ReferrerDescriptor.For(bytes, entry.Digest, entry.MediaType, "fixture referrer");
                Assert.Equal(entry.MediaType, ours.MediaType);
                Assert.Equal(entry.Digest, ours.Digest);
                Assert.Equal(entry.Size, ours.Size);
                Assert.Equal(entry.ArtifactType, ours.ArtifactType);
                Assert.Equal(entry.Annotations.OrderBy(a => a.Key), ours.Annotations.OrderBy(a => a.Key));
                var subject = ReferrerDescriptor.SubjectOf(bytes, "fixture referrer");
                Assert.Equal(made.RootElement.GetProperty("subject").GetString(), subject?.Digest.ToString());
            }
        }

        [Fact]
        public void AManifestWithoutArtifactTypeIsListedByItsConfigMediaType()
        {
            using var made = JsonDocument.Parse(File.ReadAllBytes(FixtureFiles.Under("referrers", "expected", "made.json")));
            var cosign = made.RootElement.GetProperty("referrers").EnumerateArray().Single(r => r.GetProperty("foundBy").GetString() == "CosignTag");
            var digest = Digest.Parse(cosign.GetProperty("digest").GetString());
            var bytes = Blob(digest.ToString());
            var ours = ReferrerDescriptor.For(bytes, digest, MediaTypes.OciManifest, "cosign signature");
            Assert.Equal(cosign.GetProperty("artifactType").GetString(), ours.ArtifactType);
            Assert.Null(ReferrerDescriptor.SubjectOf(bytes, "cosign signature"));
            Assert.Contains("\"config\"", Encoding.UTF8.GetString(bytes));
        }
    }
}
