using System;
using System.Collections.Generic;
using System.Linq;
using ImageTools.Oci;

namespace ImageTools.Referrers
{
    /// <summary>
    /// The one rule that says what an attached artifact is. In order: its artifact type (the manifest's
    /// <c>artifactType</c>, else its config media type, as the referrers API defines it); its layers' media types,
    /// with an in-toto statement's predicate type deciding between an SBOM (SPDX, CycloneDX) and another attestation
    /// (SLSA provenance...); BuildKit's attestation-manifest annotation; cosign's tag suffix. Nothing known: Other.
    /// </summary>
    public static class ReferrerClassifier
    {
        /// <summary>The kind a media type, artifact type or predicate type names; Other for one that says nothing.</summary>
        public static ReferrerKind OfType(string? type)
        {
            if (string.IsNullOrEmpty(type)) return ReferrerKind.Other;
            var t = type!.Trim().ToLowerInvariant();
            int semicolon = t.IndexOf(';');
            if (semicolon >= 0) t = t.Substring(0, semicolon).Trim();
            switch (t)
            {
                case ReferrerMediaTypes.CosignSimpleSigning:
                case ReferrerMediaTypes.CosignArtifactSignature:
                case ReferrerMediaTypes.NotarySignature:
                    return ReferrerKind.Signature;
                case ReferrerMediaTypes.CosignArtifactSbom:
                case ReferrerMediaTypes.SpdxJson:
                case ReferrerMediaTypes.SpdxText:
                case ReferrerMediaTypes.SpdxTextXml:
                case ReferrerMediaTypes.SpdxTextJson:
                case ReferrerMediaTypes.CycloneDx:
                case ReferrerMediaTypes.CycloneDxJson:
                case ReferrerMediaTypes.CycloneDxXml:
                case ReferrerMediaTypes.Syft:
                    return ReferrerKind.Sbom;
                case ReferrerMediaTypes.InToto:
                case ReferrerMediaTypes.DsseEnvelope:
                    return ReferrerKind.Attestation;
            }
            if (t.StartsWith("application/vnd.dev.sigstore.bundle", StringComparison.Ordinal)) return ReferrerKind.Signature;
            if (t.StartsWith("application/vnd.cncf.notary.", StringComparison.Ordinal)) return ReferrerKind.Signature;
            if (t.StartsWith("application/vnd.in-toto", StringComparison.Ordinal) || t.EndsWith("+dsse", StringComparison.Ordinal)) return ReferrerKind.Attestation;
            if (t.StartsWith("application/spdx", StringComparison.Ordinal) || t.StartsWith("text/spdx", StringComparison.Ordinal)
                || t.StartsWith("application/vnd.cyclonedx", StringComparison.Ordinal)) return ReferrerKind.Sbom;
            return OfPredicate(t);
        }

        /// <summary>The kind of an in-toto predicate type URI: SPDX and CycloneDX documents are SBOMs, any other predicate an attestation.</summary>
        public static ReferrerKind OfPredicate(string? predicateType)
        {
            if (string.IsNullOrEmpty(predicateType)) return ReferrerKind.Other;
            var p = predicateType!.Trim().ToLowerInvariant();
            if (p.StartsWith("https://spdx.dev/document", StringComparison.Ordinal) || p.StartsWith("https://cyclonedx.org/bom", StringComparison.Ordinal))
                return ReferrerKind.Sbom;
            if (p.StartsWith("https://", StringComparison.Ordinal) || p.StartsWith("http://", StringComparison.Ordinal)) return ReferrerKind.Attestation;
            return ReferrerKind.Other;
        }

        /// <summary>The artifact type the referrers API reports for a manifest: its <c>artifactType</c>, else its config's media type.</summary>
        public static string? ArtifactTypeOf(ImageManifest? manifest, Descriptor descriptor)
        {
            if (!string.IsNullOrEmpty(descriptor.ArtifactType)) return descriptor.ArtifactType;
            if (manifest == null) return null;
            if (!string.IsNullOrEmpty(manifest.ArtifactType)) return manifest.ArtifactType;
            return string.IsNullOrEmpty(manifest.Config.MediaType) ? null : manifest.Config.MediaType;
        }

        /// <summary>The predicate types an artifact's layers carry in their annotations (BuildKit, cosign), each once.</summary>
        public static IReadOnlyList<string> PredicateTypesOf(ImageManifest? manifest)
        {
            if (manifest == null) return Array.Empty<string>();
            return manifest.Layers
                .Select(l => l.Annotation(ReferrerMediaTypes.PredicateTypeAnnotation) ?? l.Annotation(ReferrerMediaTypes.CosignPredicateTypeAnnotation))
                .Where(p => !string.IsNullOrEmpty(p)).Select(p => p!).Distinct(StringComparer.Ordinal).ToList();
        }

        /// <summary>
        /// The kind of a referrer: from its descriptor (artifact type, BuildKit's annotation) and, when it could be
        /// read, its manifest; <paramref name="cosignTag"/> is the tag it was found by when that is a cosign tag.
        /// </summary>
        public static ReferrerKind Of(Descriptor descriptor, ImageManifest? manifest, string? cosignTag = null)
        {
            var byArtifactType = OfType(descriptor.ArtifactType ?? manifest?.ArtifactType);
            if (byArtifactType != ReferrerKind.Other) return byArtifactType;
            if (manifest != null)
            {
                var byConfig = OfType(manifest.Config.MediaType);
                if (byConfig != ReferrerKind.Other) return byConfig;
                var byLayers = OfLayers(manifest.Layers);
                if (byLayers != ReferrerKind.Other) return byLayers;
            }
            if (descriptor.Annotation(ReferrerMediaTypes.DockerReferenceType) == ReferrerMediaTypes.AttestationManifest) return ReferrerKind.Attestation;
            return OfCosignTag(cosignTag);
        }

        /// <summary>
        /// The kind the layers agree on. An in-toto statement or DSSE envelope is an SBOM when its predicate type says
        /// so; layers of several kinds make an attestation when one of them is, else the first kind found.
        /// </summary>
        private static ReferrerKind OfLayers(IReadOnlyList<Descriptor> layers)
        {
            var kinds = new List<ReferrerKind>();
            foreach (var layer in layers)
            {
                var kind = OfType(layer.MediaType);
                if (kind == ReferrerKind.Attestation)
                {
                    var byPredicate = OfPredicate(layer.Annotation(ReferrerMediaTypes.PredicateTypeAnnotation) ?? layer.Annotation(ReferrerMediaTypes.CosignPredicateTypeAnnotation));
                    if (byPredicate != ReferrerKind.Other) kind = byPredicate;
                }
                if (kind != ReferrerKind.Other && !kinds.Contains(kind)) kinds.Add(kind);
            }
            if (kinds.Count == 0) return ReferrerKind.Other;
            if (kinds.Count == 1) return kinds[0];
            return kinds.Contains(ReferrerKind.Attestation) || layers.Any(l => OfType(l.MediaType) == ReferrerKind.Attestation) ? ReferrerKind.Attestation : kinds[0];
        }

        /// <summary>cosign's tag suffixes: .sig a signature, .att an attestation, .sbom an SBOM.</summary>
        public static ReferrerKind OfCosignTag(string? tag)
        {
            if (tag == null) return ReferrerKind.Other;
            if (tag.EndsWith(ReferrerTags.SignatureSuffix, StringComparison.Ordinal)) return ReferrerKind.Signature;
            if (tag.EndsWith(ReferrerTags.AttestationSuffix, StringComparison.Ordinal)) return ReferrerKind.Attestation;
            if (tag.EndsWith(ReferrerTags.SbomSuffix, StringComparison.Ordinal)) return ReferrerKind.Sbom;
            return ReferrerKind.Other;
        }
    }
}
