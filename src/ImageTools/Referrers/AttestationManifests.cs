using ImageTools.Graph;
using ImageTools.Oci;

namespace ImageTools.Referrers
{
    /// <summary>
    /// BuildKit's attestation manifests: entries of an image index annotated <c>vnd.docker.reference.type:
    /// attestation-manifest</c> and <c>vnd.docker.reference.digest</c> (the platform manifest they are about), with
    /// platform <c>unknown/unknown</c>. They are manifests of the image (saved with it, as docker does) but no platform.
    /// </summary>
    public static class AttestationManifests
    {
        /// <summary>True for an index entry BuildKit wrote for an attestation manifest, with the digest it is about (null when that annotation is missing or no digest).</summary>
        public static bool Is(Descriptor entry, out Digest? about)
        {
            about = null;
            if (entry.Annotation(ReferrerMediaTypes.DockerReferenceType) != ReferrerMediaTypes.AttestationManifest) return false;
            Digest.TryParse(entry.Annotation(ReferrerMediaTypes.DockerReferenceDigest), out about);
            return true;
        }

        public static bool Is(Descriptor entry) => Is(entry, out _);

        public static bool Is(ResolvedManifest m) => Is(m.Descriptor);
    }
}
