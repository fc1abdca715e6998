using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using ImageTools.Graph;
using ImageTools.Oci;
using ImageTools.Referrers;

namespace ImageTools.Commands
{
    /// <summary>Gets the artifacts attached to images: signatures, SBOMs and attestations.</summary>
    /// <remarks>
    /// An artifact refers to an image by digest: the image's root (its index, for a multi-platform image) or one of
    /// its platform manifests. They are found, in this order: in a registry over HTTP (-Reference), its OCI 1.1
    /// referrers API (followed page by page; one -ArtifactType without wildcards is asked of it); the referrers fallback tag sha256-&lt;hex&gt; (an index
    /// listing them, what clients push to a registry without the OCI 1.1 referrers API); cosign's tags
    /// sha256-&lt;hex&gt;.sig, .att and .sbom; manifests whose subject is the image (in an OCI layout or archive, every
    /// manifest index.json reaches; in registry storage, every revision of the image's repository); BuildKit's
    /// attestation manifests inside the image's index. An artifact found in several ways is listed once, by the first.
    /// Kind says what it is, from its artifact type and media types (about_ImageTools, REFERRERS): Signature (cosign,
    /// Notation), Sbom (SPDX, CycloneDX), Attestation (in-toto statements such as SLSA provenance; an in-toto statement
    /// whose predicate is an SPDX or CycloneDX document is an Sbom), Other. Pipe an artifact to Get-ImageLayer to see
    /// its blobs, or to Test-ImageBlob to verify them. Nothing is verified cryptographically: a signature is listed,
    /// not checked.
    /// </remarks>
    /// <example>
    /// <code>Get-ImageReferrer -Path ./layout -Name base:1.0</code>
    /// <para>Signatures, SBOMs and attestations attached to base:1.0, with how each was found.</para>
    /// </example>
    /// <example>
    /// <code>Get-Image -Path ./registry -Name base:1.0 | Get-ImageReferrer -ArtifactType application/spdx+json | Get-ImageLayer</code>
    /// <para>The SPDX documents of base:1.0 in a registry's storage, as blobs to open or verify.</para>
    /// </example>
    /// <example>
    /// <code>Get-ImageReferrer -Reference registry.example.com/team/app:1.0 -Credential $cred</code>
    /// <para>What is attached to an image in a registry: through its referrers API, else its fallback tag, and cosign's tags (a token with pull on the repository).</para>
    /// </example>
    /// <example>
    /// <code>Get-ImageReferrer -Path ./app.tar -Kind Signature | Test-ImageBlob</code>
    /// <para>Verifies the digests of every signature's blobs in an archive.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "ImageReferrer", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(ImageReferrer))]
    public sealed class GetImageReferrerCommand : ImageSourceCmdlet
    {
        private const string ImageSet = "Image";
        private const string ManifestSet = "Manifest";

        /// <summary>Images from Get-Image: their root and each platform manifest are subjects.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ImageSet)]
        public Image[]? Image { get; set; }

        /// <summary>Manifests from Get-ImageManifest: only that manifest is the subject.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ManifestSet)]
        public ImageManifestInfo[]? Manifest { get; set; }

        /// <summary>Only artifacts whose artifact type matches one of these values (wildcards), e.g. application/spdx+json, application/vnd.cncf.notary.signature.</summary>
        [Parameter]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? ArtifactType { get; set; }

        /// <summary>Only artifacts of these kinds: Signature, Sbom, Attestation, Other.</summary>
        [Parameter]
        [ValidateSet("Signature", "Sbom", "Attestation", "Other", IgnoreCase = true)]
        public string[]? Kind { get; set; }

        protected override void ProcessRecord()
        {
            switch (ParameterSetName)
            {
                case ManifestSet:
                    foreach (var m in Manifest ?? new ImageManifestInfo[0])
                        Write(m.Image, new[] { m.Descriptor });
                    break;
                default:
                    foreach (var image in ParameterSetName == ImageSet ? Image ?? new Image[0] : ImagesFromPath())
                        Write(image, Subjects(image));
                    break;
            }
        }

        /// <summary>The image's root, then each of its platform manifests when the root is an index.</summary>
        private IReadOnlyList<Descriptor> Subjects(Image image)
        {
            var subjects = new List<Descriptor> { image.Descriptor };
            var walk = StoreGraph.Of(image.Store).Walk(image.Descriptor);
            foreach (var problem in walk.Problems) WriteFailure(problem, image);
            foreach (var m in walk.Manifests)
                if (!AttestationManifests.Is(m) && m.Descriptor.Digest != image.Descriptor.Digest) subjects.Add(m.Descriptor);
            return subjects;
        }

        private void Write(Image image, IEnumerable<Descriptor> subjects)
        {
            var source = ReferrerSources.For(image, LiteralArtifactType);
            var found = new ReferrerSet();
            foreach (var subject in subjects) found.AddRange(source.Find(subject, e => { FlushRegistry(); WriteFailure(e, image); }));
            FlushRegistry();
            foreach (var referrer in found.Found)
            {
                var output = new ImageReferrer(image, referrer, ReadManifest(referrer));
                if (Selected(output)) WriteObject(output);
            }
        }

        /// <summary>The verbose messages and warnings of the registry client (-Reference), written now.</summary>
        private void FlushRegistry()
        {
            if (FromRegistry) Remote.Flush();
        }

        /// <summary>The referrer's manifest, or null after writing why it cannot be read (the referrer is still listed, from what listed it).</summary>
        private ImageManifest? ReadManifest(FoundReferrer referrer)
        {
            try { return StoreGraph.Of(referrer.Store).Manifest(referrer.Descriptor); }
            catch (Exception e) when (ErrorRecords.IsExpected(e)) { WriteFailure(e, referrer.Descriptor.Digest.ToString()); return null; }
        }

        /// <summary>One -ArtifactType without wildcards: a registry's referrers API is asked to filter by it (the result is filtered here as well).</summary>
        private string? LiteralArtifactType =>
            ArtifactType?.Length == 1 && !WildcardPattern.ContainsWildcardCharacters(ArtifactType[0]) ? ArtifactType[0] : null;

        private bool Selected(ImageReferrer r)
        {
            if (Kind != null && !Kind.Any(k => string.Equals(k, r.Kind, StringComparison.OrdinalIgnoreCase))) return false;
            if (ArtifactType != null && !ArtifactType.Any(t => new WildcardPattern(t, WildcardOptions.IgnoreCase).IsMatch(r.ArtifactType ?? ""))) return false;
            return true;
        }

    }
}
