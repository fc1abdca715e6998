using System.Management.Automation;
using ImageTools.Export;

namespace ImageTools.Commands
{
    /// <summary>Copies images from any store into an OCI layout folder, skipping blobs already there (verified, not trusted).</summary>
    /// <remarks>
    /// This is how an air-gapped bundle is built over several runs: each run adds images to the same layout, and a
    /// blob that is already present is hashed and kept only when its content matches its name. Existing entries of
    /// index.json stay, except those whose name a copied image takes over. Names follow Save-Image. A new layout is
    /// built in a temporary folder and renamed into place when complete; into an existing one, index.json is written
    /// last, so a failed run leaves it as it was. Copying a layout into itself is refused (DestinationInsideSource).
    /// </remarks>
    /// <example>
    /// <code>Copy-Image -Path ./images.tar -Name app -Destination ./bundle; Copy-Image -Path ./other.tar -Destination ./bundle</code>
    /// <para>Builds one OCI layout from two archives; the second run writes only the blobs the first did not.</para>
    /// </example>
    /// <example>
    /// <code>Copy-Image -Path ./cni.tar -DestinationReference 10.10.10.250/library/calico/cni:v3.26.1 -Credential $cred</code>
    /// <para>Pushes an archive's image to a private registry: blobs the repository has are skipped, the manifest bytes go unchanged, so the digest is the archive's.</para>
    /// </example>
    /// <example>
    /// <code>Copy-Image -Reference docker.io/library/alpine:3.20 -DestinationReference harbor.example.com/mirror/alpine:3.20</code>
    /// <para>Copies an image with all its platforms from Docker Hub to another registry (one platform with -Platform).</para>
    /// </example>
    [Cmdlet(VerbsCommon.Copy, "Image", DefaultParameterSetName = PathSet, SupportsShouldProcess = true)]
    [OutputType(typeof(SavedArchive), typeof(PushedImage))]
    public sealed class CopyImageCommand : SaveImageCommandBase
    {
        /// <summary>The OCI layout folder to copy into; created when it does not exist. Give this or -DestinationReference.</summary>
        [Parameter]
        public string Destination { get; set; } = "";

        /// <summary>
        /// Push to a registry instead: registry/repository:tag (or registry/repository, keeping the source's tag). Without
        /// -Platform, an index goes with all its platforms; with it, that platform's manifest alone. Blobs the repository
        /// has are skipped (HEAD), blobs in another repository of the same registry are mounted, the others streamed;
        /// the manifest bytes are pushed unchanged, so the digest stays. One image per destination.
        /// </summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? DestinationReference { get; set; }

        protected override void BeginProcessing()
        {
            if ((Destination.Length == 0) == (DestinationReference == null))
                ThrowTerminatingError(ErrorRecords.Create(ErrorId.FileNotFound, "Copy-Image needs one destination: -Destination (an OCI layout folder) or -DestinationReference (a registry).", "Destination"));
            base.BeginProcessing();
        }

        internal override bool Write(System.Collections.Generic.IReadOnlyList<SaveEntry> entries, SaveOptions options)
        {
            if (DestinationReference == null) return false;
            new RegistryPushCommandStep(this, DestinationReference).Run(entries, options);
            return true;
        }

        protected override SaveFormat FormatToWrite => SaveFormat.OciLayout;
        protected override string DestinationArgument => Destination;
    }
}
