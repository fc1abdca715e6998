using System.Collections.Generic;
using ImageTools.Oci;
using ImageTools.Referrers;
using Xunit;

namespace ImageTools.UnitTests.Referrers
{
    public class ReferrerClassifierTests
    {
        private static readonly Digest D = Digest.Parse("sha256:" + new string('a', 64));

        private static Descriptor Layer(string mediaType, string? predicate = null) =>
            new Descriptor(mediaType, D, 1, predicate == null ? null : new Dictionary<string, string> { ["in-toto.io/predicate-type"] = predicate });

        private static ImageManifest Manifest(string configType, string? artifactType, params Descriptor[] layers) =>
            new ImageManifest(MediaTypes.OciManifest, new Descriptor(configType, D, 2), layers, null, null, artifactType);

        private static readonly Descriptor Listed = new Descriptor(MediaTypes.OciManifest, D, 10);

        [Theory]
        // the published media and artifact types (cosign, Notary Project, in-toto, SPDX 2.3 §4.5, CycloneDX)
        [InlineData("application/vnd.dev.cosign.simplesigning.v1+json", ReferrerKind.Signature)]
        [InlineData("application/vnd.dev.cosign.artifact.sig.v1+json", ReferrerKind.Signature)]
        [InlineData("application/vnd.cncf.notary.signature", ReferrerKind.Signature)]
        [InlineData("application/vnd.dev.sigstore.bundle.v0.3+json", ReferrerKind.Signature)]
        [InlineData("application/vnd.in-toto+json", ReferrerKind.Attestation)]
        [InlineData("application/vnd.dsse.envelope.v1+json", ReferrerKind.Attestation)]
        [InlineData("application/spdx+json", ReferrerKind.Sbom)]
        [InlineData("text/spdx", ReferrerKind.Sbom)]
        [InlineData("text/spdx+xml", ReferrerKind.Sbom)]
        [InlineData("application/vnd.cyclonedx+json", ReferrerKind.Sbom)]
        [InlineData("application/vnd.cyclonedx+xml", ReferrerKind.Sbom)]
        [InlineData("Application/SPDX+JSON; charset=utf-8", ReferrerKind.Sbom)]
        [InlineData("application/vnd.oci.image.config.v1+json", ReferrerKind.Other)]
        [InlineData("application/vnd.oci.empty.v1+json", ReferrerKind.Other)]
        [InlineData("application/vnd.example.thing", ReferrerKind.Other)]
        [InlineData("", ReferrerKind.Other)]
        public void MediaAndArtifactTypesName(string type, ReferrerKind expected) =>
            Assert.Equal(expected, ReferrerClassifier.OfType(type));

        [Theory]
        [InlineData("https://slsa.dev/provenance/v0.2", ReferrerKind.Attestation)]
        [InlineData("https://slsa.dev/provenance/v1", ReferrerKind.Attestation)]
        [InlineData("https://spdx.dev/Document", ReferrerKind.Sbom)]
        [InlineData("https://spdx.dev/Document/v2.3", ReferrerKind.Sbom)]
        [InlineData("https://cyclonedx.org/bom", ReferrerKind.Sbom)]
        [InlineData("https://cosign.sigstore.dev/attestation/vuln/v1", ReferrerKind.Attestation)]
        [InlineData("not a uri", ReferrerKind.Other)]
        public void PredicateTypesName(string predicate, ReferrerKind expected) =>
            Assert.Equal(expected, ReferrerClassifier.OfPredicate(predicate));

        [Fact]
        public void TheArtifactTypeComesFirst()
        {
            var m = Manifest(MediaTypes.OciEmpty, "application/vnd.cncf.notary.signature", Layer("application/jose+json"));
            Assert.Equal(ReferrerKind.Signature, ReferrerClassifier.Of(Listed, m));
            Assert.Equal("application/vnd.cncf.notary.signature", ReferrerClassifier.ArtifactTypeOf(m, Listed));
        }

        [Fact]
        public void WithoutAnArtifactTypeTheConfigMediaTypeIsTheArtifactType()
        {
            var m = Manifest("application/spdx+json", null, Layer("application/spdx+json"));
            Assert.Equal("application/spdx+json", ReferrerClassifier.ArtifactTypeOf(m, Listed));
            Assert.Equal(ReferrerKind.Sbom, ReferrerClassifier.Of(Listed, m));
        }

        [Fact]
        public void ACosignSignatureIsKnownByItsLayer()
        {
            var m = Manifest(MediaTypes.OciConfig, null, Layer("application/vnd.dev.cosign.simplesigning.v1+json"));
            Assert.Equal(ReferrerKind.Signature, ReferrerClassifier.Of(Listed, m, "sha256-" + new string('a', 64) + ".sig"));
        }

        [Fact]
        public void BuildKitAttestationLayersAreSortedByPredicate()
        {
            var sbomOnly = Manifest(MediaTypes.OciConfig, null, Layer("application/vnd.in-toto+json", "https://spdx.dev/Document"));
            var both = Manifest(MediaTypes.OciConfig, null,
                Layer("application/vnd.in-toto+json", "https://spdx.dev/Document"),
                Layer("application/vnd.in-toto+json", "https://slsa.dev/provenance/v0.2"));
            Assert.Equal(ReferrerKind.Sbom, ReferrerClassifier.Of(Listed, sbomOnly));
            Assert.Equal(ReferrerKind.Attestation, ReferrerClassifier.Of(Listed, both));
            Assert.Equal(new[] { "https://spdx.dev/Document", "https://slsa.dev/provenance/v0.2" }, ReferrerClassifier.PredicateTypesOf(both));
        }

        [Fact]
        public void AnUnreadableManifestFallsBackToTheAnnotationThenTheCosignTag()
        {
            var buildkit = new Descriptor(MediaTypes.OciManifest, D, 10, new Dictionary<string, string>
            {
                ["vnd.docker.reference.type"] = "attestation-manifest",
                ["vnd.docker.reference.digest"] = D.ToString(),
            });
            Assert.Equal(ReferrerKind.Attestation, ReferrerClassifier.Of(buildkit, null));
            Assert.Equal(ReferrerKind.Sbom, ReferrerClassifier.Of(Listed, null, "sha256-" + new string('a', 64) + ".sbom"));
            Assert.Equal(ReferrerKind.Other, ReferrerClassifier.Of(Listed, null));
        }

        [Fact]
        public void ReferrerTagsAreSpelledAsTheSpecsSay()
        {
            Assert.Equal("sha256-" + new string('a', 64), ReferrerTags.Fallback(D));
            Assert.Equal(new[] { ".sig", ".att", ".sbom" }, System.Linq.Enumerable.Select(ReferrerTags.Cosign(D), t => t.Substring(71)));
            Assert.True(ReferrerTags.IsReferrerTag("sha256-" + new string('a', 64) + ".sig"));
            Assert.True(ReferrerTags.IsReferrerTag("sha256-" + new string('a', 64)));
            Assert.False(ReferrerTags.IsReferrerTag("sha256-abc"));
            Assert.False(ReferrerTags.IsReferrerTag("latest"));
            Assert.True(ReferrerTags.IsReferrerTag(ReferrerTags.Fallback(Digest.Parse("sha512:" + new string('b', 128)))));
            Assert.False(ReferrerTags.IsReferrerTag("sha256-" + new string('A', 64)));
        }

        // The three rows of the distribution spec's table under "Referrers Tag Schema" (spec.md), copied from the spec.
        [Theory]
        [InlineData("sha256", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "sha256-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
        [InlineData("sha512", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "sha512-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
        [InlineData("test+algorithm+using+algorithm+separators+and+lots+of+characters+to+excercise+overall+truncation", "alsoSome=InTheEncodedSectionToShowHyphenReplacementAndLotsAndLotsOfCharactersToExcerciseEncodedTruncation", "test-algorithm-using-algorithm-s-alsoSome-InTheEncodedSectionToShowHyphenReplacementAndLotsAndLot")]
        public void FallbackTagFollowsTheSpecTable(string algorithm, string encoded, string expected)
        {
            Assert.Equal(expected, ReferrerTags.Fallback(algorithm, encoded));
            if (Digest.TryParse(algorithm + ":" + encoded, out var digest))
                Assert.Equal(expected, ReferrerTags.Fallback(digest!));
        }
    }
}
