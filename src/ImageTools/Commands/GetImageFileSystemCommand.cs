using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using ImageTools.Export.Unpack;
using ImageTools.Oci;

namespace ImageTools.Commands
{
    /// <summary>Lists the filesystem an image presents to a container: every layer applied, whiteouts and opaque folders included.</summary>
    /// <remarks>
    /// Reads the image's layers bottom first and applies them as a container runtime or umoci unpack does: a later
    /// entry replaces an earlier one at the same path, .wh.NAME removes NAME of the layers below, .wh..wh..opq empties
    /// a folder of what lower layers put there. Each entry says which layer its final version came from. Files that
    /// share content through hard links are one File and Hardlink entries whose LinkTarget names it. Every layer's
    /// digest is verified before any of its entries is used: a layer whose bytes do not match its digest is a
    /// DigestMismatch error and none of its entries is in the result. -Include selects entries with a pattern inside the image, matched component by
    /// component (* does not cross '/', ** crosses any number of folders). Entries a safe unpacker would refuse
    /// (absolute, '..', the whiteouts .wh.. and .wh..., written through a symlink that leaves the root) are reported as UnsafeEntryPath errors and left out.
    /// </remarks>
    /// <example>
    /// <code>Get-Image ./layout app:2.0 | Get-ImageFileSystem -Include /etc/*.conf</code>
    /// <para>The .conf files directly in /etc of app:2.0, with the layer each came from.</para>
    /// </example>
    /// <example>
    /// <code>Get-ImageFileSystem -Path ./app.tar -Name app:2.0 -Include /usr/** -ContentDigest | Where-Object Type -eq File</code>
    /// <para>Every file under /usr with the sha256 of its content.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "ImageFileSystem", DefaultParameterSetName = ImageSet)]
    [OutputType(typeof(FileSystemEntry))]
    public sealed class GetImageFileSystemCommand : ImageSourceCmdlet
    {
        private const string ImageSet = "Image";

        /// <summary>The image: what Get-Image, Get-ImageManifest or Get-ImageLayer return (a layer stands for its image).</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ImageSet)]
        [ImageInputTransformation]
        public object[]? Image { get; set; }

        /// <summary>Only the entries whose path inside the image matches one of these patterns (/etc/*.conf, /usr/**/bin/*).</summary>
        [Parameter(Position = 0, ParameterSetName = ImageSet)]
        [Parameter(Position = 2, ParameterSetName = PathSet)]
        [Parameter(Position = 2, ParameterSetName = LiteralPathSet)]
        [SupportsWildcards]
        public string[]? Include { get; set; }

        /// <summary>Only the manifests for this platform, os/architecture[/variant].</summary>
        [Parameter]
        [ArgumentCompleter(typeof(PlatformCompleter))]
        public string? Platform { get; set; }

        /// <summary>Also compute the sha256 of every file's content (reads all content; slower).</summary>
        [Parameter]
        public SwitchParameter ContentDigest { get; set; }

        private Platform? _platform;
        private List<ImagePathPattern>? _patterns;

        protected override void BeginProcessing()
        {
            _platform = LayerInput.ParsePlatform(this, Platform);
            _patterns = Include?.Select(p => new ImagePathPattern(p)).ToList();
        }

        protected override void ProcessRecord()
        {
            var items = FromPath ? ImagesFromPath().Cast<object>().ToList() : (IEnumerable<object>)(Image ?? new object[0]);
            foreach (var item in items)
                foreach (var m in LayerInput.Manifests(this, item, _platform))
                {
                    var progress = new ProgressRecord(1, "Reading layers", m.ToString());
                    WriteProgress(progress);
                    var fs = MergedFileSystem.Build(m, ContentDigest, e => WriteFailure(e, m), WriteWarning);
                    ProgressEnd.Complete(this, progress);
                    foreach (var entry in fs.Entries())
                        if (_patterns == null || _patterns.Any(p => p.IsMatch(entry.Path)))
                        {
                            entry.ImageName = m.ImageName;
                            entry.Platform = m.Platform;
                            WriteObject(entry);
                        }
                }
        }
    }
}
