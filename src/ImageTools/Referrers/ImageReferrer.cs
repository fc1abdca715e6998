using System;
using System.Collections.Generic;
using System.Linq;
using ImageTools.Graph;
using ImageTools.Oci;
using ImageTools.Referrers;
using ImageTools.Stores;

namespace ImageTools
{
    /// <summary>
    /// An artifact attached to an image (a signature, an SBOM, an attestation), as Get-ImageReferrer returns it.
    /// Digests are <c>sha256:…</c> strings, Kind and FoundBy are names. Piped to Get-ImageLayer or Test-ImageBlob,
    /// its blobs (a signature envelope, an SPDX document, an in-toto statement) are read like an image's layers.
    /// </summary>
    public sealed class ImageReferrer
    {
        internal ImageReferrer(Image image, FoundReferrer found, ImageManifest? manifest)
        {
            SubjectImage = image;
            Found = found;
            ArtifactManifest = manifest;
            var kind = ReferrerClassifier.Of(found.Descriptor, manifest, found.FoundBy == ReferrerFoundBy.CosignTag ? found.Tag : null);
            Kind = kind.ToString();
            ArtifactType = ReferrerClassifier.ArtifactTypeOf(manifest, found.Descriptor);
            PredicateTypes = ReferrerClassifier.PredicateTypesOf(manifest).ToArray();
            var annotations = new Dictionary<string, string>(StringComparer.Ordinal);
            if (manifest != null) foreach (var a in manifest.Annotations) annotations[a.Key] = a.Value;
            foreach (var a in found.Descriptor.Annotations) if (!annotations.ContainsKey(a.Key)) annotations[a.Key] = a.Value;
            Annotations = annotations;
        }

        /// <summary>The name of the image the artifact is attached to (as Get-Image shows it).</summary>
        public string? ImageName => SubjectImage.Name;

        /// <summary>The digest the artifact refers to: the image's root, or one of its platform manifests.</summary>
        public string Subject => Found.Subject.ToString();

        /// <summary>Signature, Sbom, Attestation or Other (about_ImageTools, REFERRERS).</summary>
        public string Kind { get; }

        /// <summary>The manifest's artifactType, else its config's media type (what the referrers API reports).</summary>
        public string? ArtifactType { get; }

        public string MediaType => Found.Descriptor.MediaType;
        public string Digest => Found.Descriptor.Digest.ToString();
        public long Size => Found.Descriptor.Size;

        /// <summary>How it was found: ReferrersApi, FallbackTag, CosignTag, Subject or BuildKitAttestation.</summary>
        public string FoundBy => Found.FoundBy.ToString();

        /// <summary>The tag it was found by (sha256-&lt;hex&gt;, sha256-&lt;hex&gt;.sig…), when a tag led to it.</summary>
        public string? Tag => Found.Tag;

        /// <summary>The in-toto predicate types its layers carry (https://slsa.dev/provenance/v1, https://spdx.dev/Document…).</summary>
        public string[] PredicateTypes { get; }

        /// <summary>The manifest's annotations, with those of the descriptor that listed it (BuildKit's vnd.docker.reference.*).</summary>
        public Dictionary<string, string> Annotations { get; }

        /// <summary>Number of blobs (layers) the artifact holds; null when its manifest could not be read.</summary>
        public int? BlobCount => ArtifactManifest?.Layers.Count;

        public string StorePath => Found.Store.Location;

        internal Image SubjectImage { get; }
        internal FoundReferrer Found { get; }
        internal ImageManifest? ArtifactManifest { get; }
        internal IImageStore Store => Found.Store;
        internal Descriptor Descriptor => Found.Descriptor;

        /// <summary>The artifact as a manifest of its image, for the layer cmdlets; null when its manifest could not be read or it lives in another store than the image.</summary>
        internal ImageManifestInfo? AsManifest() =>
            ArtifactManifest == null || !ReferenceEquals(Found.Store, SubjectImage.Store) ? null
                : new ImageManifestInfo(SubjectImage, new ResolvedManifest(Found.Descriptor, ArtifactManifest, null, Array.Empty<Descriptor>()), isArtifact: true);

        public override string ToString() => $"{Kind} {Digest} -> {Subject}";
    }
}
