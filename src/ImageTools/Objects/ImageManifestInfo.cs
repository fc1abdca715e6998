using System.Linq;
using ImageTools.Oci;
using ImageTools.Graph;
using ImageTools.Stores;

namespace ImageTools
{
    /// <summary>One platform manifest of an image, as Get-ImageManifest returns it.</summary>
    public sealed class ImageManifestInfo
    {
        internal ImageManifestInfo(Image image, ResolvedManifest resolved, bool isArtifact = false)
        {
            var isAttestation = Referrers.AttestationManifests.Is(resolved.Descriptor, out var about);
            Kind = isArtifact ? "Artifact" : isAttestation ? "Attestation" : "Image";
            Subject = (isAttestation ? about : resolved.Manifest.Subject?.Digest)?.ToString();
            Image = image;
            Resolved = resolved;
            Store = image.Store;
            Descriptor = resolved.Descriptor;
            Manifest = resolved.Manifest;
            Platform = isAttestation || isArtifact ? null : resolved.Platform?.ToString();
            IndexDigest = resolved.Indexes.Count > 0 ? resolved.Indexes[resolved.Indexes.Count - 1].Digest.ToOutput() : null;
        }

        public string? ImageName => Image.Name;
        public string Digest => Descriptor.Digest.ToOutput();
        public string MediaType => Descriptor.MediaType;
        public long Size => Descriptor.Size;

        /// <summary>Image: a platform's manifest; Attestation: a BuildKit attestation manifest (no platform, its Subject is the manifest it is about); Artifact: a referrer piped in from Get-ImageReferrer.</summary>
        public string Kind { get; }

        /// <summary>The digest this manifest is about: its <c>subject</c>, or for an attestation BuildKit's vnd.docker.reference.digest.</summary>
        public string? Subject { get; }

        /// <summary>The platform from the index that lists this manifest; from the config when no index gives one. None for attestations and artifacts (BuildKit's unknown/unknown is no platform).</summary>
        public string? Platform { get; }

        public string ConfigDigest => Manifest.Config.Digest.ToOutput();
        public string ConfigMediaType => Manifest.Config.MediaType;
        public int LayerCount => Manifest.Layers.Count;

        /// <summary>The layer digests, bottom first (Get-ImageLayer gives each layer whole).</summary>
        public ValueList LayerDigests => Manifest.Layers.Select(l => l.Digest).ToOutput();
        public long LayersSize => Manifest.Layers.Sum(l => l.Size);

        /// <summary>The index this manifest was found in, when it was found through one.</summary>
        public string? IndexDigest { get; }

        internal Image Image { get; }

        internal ResolvedManifest Resolved { get; }
        internal IImageStore Store { get; }
        internal Descriptor Descriptor { get; }
        internal ImageManifest Manifest { get; }

        public override string ToString() => $"{ImageName ?? Image.Digest} {Platform} {Digest}";
    }
}
