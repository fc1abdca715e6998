using System.Management.Automation;
using ImageTools.Export.Unpack;
using ImageTools.Oci;

namespace ImageTools.Commands
{
    /// <summary>Compares the merged filesystems of two images: paths added, removed and changed.</summary>
    /// <remarks>
    /// Builds both images' final filesystems (every layer applied, content digested) and writes one object per path
    /// that differs: Added (only in -DifferenceImage), Removed (only in -ReferenceImage), or Changed with the
    /// properties that differ: Type, Size, Mode, Owner (uid/gid), Content (sha256 of the content), LinkTarget (symlinks),
    /// Device. Modification times are not compared. Each image must resolve to one platform (use -Platform).
    /// </remarks>
    /// <example>
    /// <code>Compare-Image -ReferenceImage (Get-Image ./layout base:1.0) -DifferenceImage (Get-Image ./layout app:2.0)</code>
    /// <para>What app:2.0 adds, removes and changes on top of base:1.0.</para>
    /// </example>
    /// <example>
    /// <code>Get-Image ./new.tar | Compare-Image -ReferenceImage (Get-Image ./old.tar) | Where-Object Properties -contains Content</code>
    /// <para>The files whose content changed between two builds.</para>
    /// </example>
    [Cmdlet(VerbsData.Compare, "Image")]
    [OutputType(typeof(ImageDifference))]
    public sealed class CompareImageCommand : ImageToolsCmdlet
    {
        /// <summary>The image to compare against: what Get-Image or Get-ImageManifest return.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ImageInputTransformation]
        public object? ReferenceImage { get; set; }

        /// <summary>The image compared with the reference: what Get-Image or Get-ImageManifest return.</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true)]
        [ImageInputTransformation]
        public object? DifferenceImage { get; set; }

        /// <summary>The platform to compare when an image has several, os/architecture[/variant].</summary>
        [Parameter]
        [ArgumentCompleter(typeof(PlatformCompleter))]
        public string? Platform { get; set; }

        private Platform? _platform;
        private MergedFileSystem? _reference;

        protected override void BeginProcessing() => _platform = LayerInput.ParsePlatform(this, Platform);

        protected override void ProcessRecord()
        {
            if (_reference == null)
            {
                var r = LayerInput.Single(this, ReferenceImage, _platform, "The reference image");
                if (r == null) return;
                _reference = MergedFileSystem.Build(r, true, e => WriteFailure(e, r), WriteWarning);
            }
            var d = LayerInput.Single(this, DifferenceImage, _platform, "The difference image");
            if (d == null) return;
            var diff = MergedFileSystem.Build(d, true, e => WriteFailure(e, d), WriteWarning);
            foreach (var change in ImageAnalysis.Compare(_reference.Entries(), diff.Entries()))
                WriteObject(change);
        }
    }
}
