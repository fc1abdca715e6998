using System.Collections.Generic;
using System.Linq;
using ImageTools.Oci;
using ImageTools.Referrers;
using ImageTools.UnitTests.Graph;
using Xunit;

namespace ImageTools.UnitTests.Referrers
{
    public class StoreReferrerSourceTests
    {
        private static string Subject(Descriptor d) =>
            ",\"subject\":{\"mediaType\":\"" + d.MediaType + "\",\"digest\":\"" + d.Digest + "\",\"size\":" + d.Size + "}";

        private static Descriptor AddArtifact(MemoryStore store, string artifactType, string layerType, string body, Descriptor? subject)
        {
            var empty = store.Add("{}", MediaTypes.OciEmpty);
            var layer = store.Add(body, layerType);
            return store.Add("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OciManifest + "\",\"artifactType\":\"" + artifactType + "\",\"config\":"
                + MemoryStore.Json(empty) + ",\"layers\":[" + MemoryStore.Json(layer) + "]" + (subject == null ? "" : Subject(subject)) + "}", MediaTypes.OciManifest);
        }

        [Fact]
        public void EachMechanismIsFoundAndADigestIsListedOnce()
        {
            var store = new MemoryStore();
            var image = store.AddImage();
            store.Name("docker.io/library/app:1.0", image);
            var sbom = AddArtifact(store, "application/spdx+json", "application/spdx+json", "{\"spdxVersion\":\"SPDX-2.3\"}", image);
            store.Name(null!, sbom);
            var notation = AddArtifact(store, "application/vnd.cncf.notary.signature", "application/jose+json", "{}", image);
            var fallback = store.Add("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OciIndex + "\",\"manifests\":["
                + MemoryStore.Json(notation) + "," + MemoryStore.Json(sbom) + "]}", MediaTypes.OciIndex);
            store.Name("docker.io/library/app:" + ReferrerTags.Fallback(image.Digest), fallback);
            var sig = AddArtifact(store, "application/vnd.oci.image.config.v1+json", "application/vnd.dev.cosign.simplesigning.v1+json", "{\"critical\":{}}", null);
            store.Name("docker.io/library/app:" + ReferrerTags.Cosign(image.Digest)[0], sig);
            // a cosign tag of another repository is not this image's
            store.Name("docker.io/library/other:" + ReferrerTags.Cosign(image.Digest)[1], sig);

            var errors = new List<System.Exception>();
            var found = new StoreReferrerSource(store, "docker.io/library/app").Find(image, errors.Add).ToList();

            Assert.Empty(errors);
            Assert.Equal(3, found.Count);
            Assert.Equal((notation.Digest, ReferrerFoundBy.FallbackTag), (found[0].Descriptor.Digest, found[0].FoundBy));
            Assert.Equal((sbom.Digest, ReferrerFoundBy.FallbackTag), (found[1].Descriptor.Digest, found[1].FoundBy));
            Assert.Equal((sig.Digest, ReferrerFoundBy.CosignTag), (found[2].Descriptor.Digest, found[2].FoundBy));
            Assert.All(found, f => Assert.Equal(image.Digest, f.Subject));
        }

        [Fact]
        public void SubjectManifestsAndBuildKitAttestationsAreFoundThroughIndexes()
        {
            var store = new MemoryStore();
            var image = store.AddImage();
            var attestation = AddArtifact(store, "", "application/vnd.in-toto+json", "{\"_type\":\"https://in-toto.io/Statement/v0.1\"}", null);
            var index = store.Add("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OciIndex + "\",\"manifests\":["
                + MemoryStore.Json(image, "amd64") + ",{\"mediaType\":\"" + MediaTypes.OciManifest + "\",\"digest\":\"" + attestation.Digest + "\",\"size\":" + attestation.Size
                + ",\"annotations\":{\"vnd.docker.reference.type\":\"attestation-manifest\",\"vnd.docker.reference.digest\":\"" + image.Digest + "\"},"
                + "\"platform\":{\"os\":\"unknown\",\"architecture\":\"unknown\"}}]}", MediaTypes.OciIndex);
            store.Name("app:1.0", index);
            var sbom = AddArtifact(store, "application/spdx+json", "application/spdx+json", "{}", image);
            store.Name(null!, sbom);

            var found = new StoreReferrerSource(store, "docker.io/library/app").Find(image, e => throw e).ToList();

            Assert.Equal(2, found.Count);
            Assert.Contains(found, f => f.Descriptor.Digest == attestation.Digest && f.FoundBy == ReferrerFoundBy.BuildKitAttestation);
            var bySubject = Assert.Single(found, f => f.FoundBy == ReferrerFoundBy.Subject);
            Assert.Equal(sbom.Digest, bySubject.Descriptor.Digest);
            Assert.Equal("application/spdx+json", bySubject.Descriptor.ArtifactType);
            Assert.Empty(new StoreReferrerSource(store, "docker.io/library/app").Find(index, e => throw e));
        }
    }
}
