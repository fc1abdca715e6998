using System.Management.Automation;

namespace ImageTools.Commands
{
    /// <summary>Gets the platform manifests of images: one object per platform.</summary>
    /// <remarks>
    /// An image whose root is an index (or a Docker manifest list) has one manifest per platform; nested indexes are
    /// followed. Every manifest is verified against its digest as it is read. A legacy docker save archive keeps no
    /// manifest: one is synthesized from manifest.json, the config and the layer files, as skopeo and containerd do.
    /// Kind is Image for a platform's manifest and Attestation for a BuildKit attestation manifest (its index entry
    /// says vnd.docker.reference.type attestation-manifest): attestations have no Platform (BuildKit writes
    /// unknown/unknown), their Subject is the manifest they are about, and -Platform never selects them; Get-ImageReferrer
    /// lists them as artifacts of the image.
    /// </remarks>
    /// <example>
    /// <code>Get-Image -Path ./multi.tar | Get-ImageManifest -Platform linux/arm64/v8</code>
    /// <para>The arm64 manifest of a multi-platform image.</para>
    /// </example>
    /// <example>
    /// <code>Get-ImageManifest -Path ./layout -Name app:2.0 | Format-List *</code>
    /// <para>All properties of app:2.0's manifest, including the config digest and the total layer size.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "ImageManifest", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(ImageManifestInfo))]
    public sealed class GetImageManifestCommand : ManifestSourceCmdlet
    {
        protected override void ProcessRecord()
        {
            foreach (var image in InputImages())
                foreach (var manifest in ManifestsOf(image, withAttestations: true))
                    WriteObject(manifest);
        }
    }
}
