using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using ImageTools.Export.Unpack;

namespace ImageTools.Commands
{
    /// <summary>Measures the space an image wastes: bytes of files that a later layer replaced or deleted.</summary>
    /// <remarks>
    /// The view dive gives, as an object: TotalBytes counts the file content of every layer (every copy), WastedBytes
    /// the content of files that a later layer overwrote or deleted (they still travel with the image),
    /// Efficiency = 1 - WastedBytes / TotalBytes, and WastedPaths the paths wasting the most with the layers that hold
    /// the hidden copies and the layers that hid them. Reads every layer (verifying its digest).
    /// </remarks>
    /// <example>
    /// <code>Measure-Image -Path ./layout -Name app:2.0 | Select-Object -ExpandProperty WastedPaths</code>
    /// <para>The paths app:2.0 wastes space on, largest first.</para>
    /// </example>
    /// <example>
    /// <code>$m = Measure-Image -Path ./image.tar; if ($m.WastedBytes -gt 50MB -or $m.Efficiency -lt 0.95) { Write-Error "Image wastes $($m.WastedBytes) bytes"; exit 1 }</code>
    /// <para>In a CI pipeline: fail the build when the image wastes more than 50 MB or is less than 95% efficient.</para>
    /// </example>
    [Cmdlet(VerbsDiagnostic.Measure, "Image", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(ImageMeasure))]
    public sealed class MeasureImageCommand : ManifestSourceCmdlet
    {
        /// <summary>Platform manifests from Get-ImageManifest.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = "Manifest")]
        public ImageManifestInfo[]? Manifest { get; set; }

        /// <summary>How many of the most wasteful paths to return in WastedPaths (10 by default).</summary>
        [Parameter]
        [ValidateRange(0, int.MaxValue)]
        public int Top { get; set; } = 10;

        protected override void ProcessRecord()
        {
            IEnumerable<ImageManifestInfo> manifests = ParameterSetName == "Manifest" ? Manifest ?? new ImageManifestInfo[0] : InputImages().SelectMany(ManifestsOf);
            foreach (var m in manifests)
            {
                var progress = new ProgressRecord(1, "Measuring", m.ToString());
                WriteProgress(progress);
                var fs = MergedFileSystem.Build(m, false, e => WriteFailure(e, m), WriteWarning);
                ProgressEnd.Complete(this, progress);
                WriteObject(ImageAnalysis.Measure(m, fs, Top));
            }
        }
    }
}
