using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using ImageTools.Oci;
using ImageTools.Stores;

namespace ImageTools.Commands
{
    /// <summary>A cmdlet that works on platform manifests: from -Path, from piped images, or from piped manifests.</summary>
    public abstract class ManifestSourceCmdlet : ImageSourceCmdlet
    {
        protected const string ImageSet = "Image";

        /// <summary>Images from Get-Image.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ImageSet)]
        public Image[]? Image { get; set; }

        /// <summary>Only the manifests for this platform, os/architecture[/variant], e.g. linux/arm64/v8.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(PlatformCompleter))]
        public string? Platform { get; set; }

        private Platform? _platform;

        protected override void BeginProcessing()
        {
            if (Platform != null)
            {
                try { _platform = Oci.Platform.Parse(Platform); }
                catch (System.FormatException e)
                {
                    ThrowTerminatingError(new ErrorRecord(e, ErrorId.InvalidReference.ToString(), ErrorCategory.InvalidArgument, Platform));
                }
            }
        }

        /// <summary>The images this record brings: piped ones, or those -Path and -Name select.</summary>
        internal IEnumerable<Image> InputImages() => ParameterSetName == ImageSet ? Image ?? new Image[0] : ImagesFromPath();

        /// <summary>The platform manifests of an image, filtered by -Platform.</summary>
        internal IEnumerable<ImageManifestInfo> ManifestsOf(Image image)
        {
            var found = new List<ImageManifestInfo>();
            foreach (var resolved in ImageWalker.Manifests(image.Store, image.Descriptor, e => WriteFailure(e, image)))
            {
                var info = new ImageManifestInfo(image, resolved);
                if (info.Platform == null)
                {
                    try { info.Platform = ImageDetails.PlatformOf(ImageWalker.ReadConfig(image.Store, resolved.Manifest.Config)); }
                    catch (ImageToolsException e) { WriteFailure(e, image); }
                }
                found.Add(info);
            }
            if (_platform == null) return found;
            var matching = found.Where(m => m.Platform != null && Oci.Platform.Parse(m.Platform).Satisfies(_platform)).ToList();
            if (matching.Count == 0)
                WriteError(ErrorRecords.Create(ErrorId.PlatformNotFound,
                    $"Image {image} has no manifest for platform {_platform}; it has: {string.Join(", ", found.Select(m => m.Platform ?? "unknown"))}.", image));
            return matching;
        }
    }
}
