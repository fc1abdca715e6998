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
        [ImageInputTransformation]
        public Image[]? Image { get; set; }

        /// <summary>Only the manifests for this platform, os/architecture[/variant], e.g. linux/arm64/v8.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(PlatformCompleter))]
        public string? Platform { get; set; }

        private Platform? _platform;

        protected override void BeginProcessing() => _platform = LayerInput.ParsePlatform(this, Platform);

        /// <summary>The images this record brings: piped ones, or those -Path and -Name select.</summary>
        internal IEnumerable<Image> InputImages() => ParameterSetName == ImageSet ? Image ?? new Image[0] : ImagesFromPath();

        /// <summary>The platform manifests of an image, filtered by -Platform.</summary>
        internal IEnumerable<ImageManifestInfo> ManifestsOf(Image image) => LayerInput.ManifestsOfImage(this, image, _platform);

        /// <summary>The same, with BuildKit's attestation manifests when no -Platform is given (Get-ImageManifest, Test-ImageBlob).</summary>
        internal IEnumerable<ImageManifestInfo> ManifestsOf(Image image, bool withAttestations) => LayerInput.ManifestsOfImage(this, image, _platform, withAttestations);
    }
}
