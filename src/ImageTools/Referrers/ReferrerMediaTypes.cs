namespace ImageTools.Referrers
{
    /// <summary>The media types, artifact types, annotations and predicate types of signatures, SBOMs and attestations.</summary>
    public static class ReferrerMediaTypes
    {
        /// <summary>cosign's signature payload (the "simple signing" document), a layer of a <c>.sig</c> manifest.</summary>
        public const string CosignSimpleSigning = "application/vnd.dev.cosign.simplesigning.v1+json";
        /// <summary>cosign's artifact type for signatures attached through the referrers API (cosign 2.x experimental OCI 1.1 mode).</summary>
        public const string CosignArtifactSignature = "application/vnd.dev.cosign.artifact.sig.v1+json";
        public const string CosignArtifactSbom = "application/vnd.dev.cosign.artifact.sbom.v1+json";
        /// <summary>Notary Project (Notation) signature manifests' artifact type.</summary>
        public const string NotarySignature = "application/vnd.cncf.notary.signature";
        /// <summary>Notation's signature envelopes (layers): JWS and COSE.</summary>
        public const string NotaryJwsEnvelope = "application/jose+json";
        public const string NotaryCoseEnvelope = "application/cose";
        public const string InToto = "application/vnd.in-toto+json";
        /// <summary>A DSSE envelope (cosign's <c>.att</c> layers hold in-toto statements in one).</summary>
        public const string DsseEnvelope = "application/vnd.dsse.envelope.v1+json";
        public const string SpdxJson = "application/spdx+json";
        public const string SpdxText = "text/spdx";
        public const string SpdxTextXml = "text/spdx+xml";
        public const string SpdxTextJson = "text/spdx+json";
        public const string CycloneDxJson = "application/vnd.cyclonedx+json";
        public const string CycloneDxXml = "application/vnd.cyclonedx+xml";
        public const string CycloneDx = "application/vnd.cyclonedx";
        public const string Syft = "application/vnd.syft+json";

        /// <summary>BuildKit: the annotation on an index entry that says what the entry is (<c>attestation-manifest</c>).</summary>
        public const string DockerReferenceType = "vnd.docker.reference.type";
        /// <summary>BuildKit: the annotation on an attestation manifest's index entry naming the image manifest it is about.</summary>
        public const string DockerReferenceDigest = "vnd.docker.reference.digest";
        public const string AttestationManifest = "attestation-manifest";
        /// <summary>in-toto: the predicate type of a statement, as BuildKit and cosign annotate the layer holding it.</summary>
        public const string PredicateTypeAnnotation = "in-toto.io/predicate-type";
        /// <summary>cosign's annotation of the predicate type on an <c>.att</c> layer.</summary>
        public const string CosignPredicateTypeAnnotation = "predicateType";

        public const string SpdxPredicate = "https://spdx.dev/Document";
        public const string CycloneDxPredicate = "https://cyclonedx.org/bom";
        public const string SlsaProvenanceV02 = "https://slsa.dev/provenance/v0.2";
        public const string SlsaProvenanceV1 = "https://slsa.dev/provenance/v1";
    }
}
