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
    [Cmdlet(VerbsCommon.Copy, "Image", DefaultParameterSetName = PathSet, SupportsShouldProcess = true)]
    [OutputType(typeof(SavedArchive))]
    public sealed class CopyImageCommand : SaveImageCommandBase
    {
        /// <summary>The OCI layout folder to copy into; created when it does not exist.</summary>
        [Parameter(Mandatory = true)]
        public string Destination { get; set; } = "";

        protected override SaveFormat FormatToWrite => SaveFormat.OciLayout;
        protected override string DestinationArgument => Destination;
    }
}
