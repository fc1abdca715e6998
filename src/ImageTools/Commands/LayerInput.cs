using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using ImageTools.Oci;
using ImageTools.Stores;

namespace ImageTools.Commands
{
    /// <summary>Turns what the layer cmdlets are given (images, manifests, layers, possibly wrapped in PSObjects) into platform manifests.</summary>
    internal static class LayerInput
    {
        public static Platform? ParsePlatform(PSCmdlet cmdlet, string? platform)
        {
            if (platform == null) return null;
            try { return Platform.Parse(platform); }
            catch (System.FormatException e)
            {
                cmdlet.ThrowTerminatingError(new ErrorRecord(e, ErrorId.InvalidReference.ToString(), ErrorCategory.InvalidArgument, platform));
                return null;
            }
        }

        /// <summary>The platform manifests an item stands for, filtered by platform; errors are written and give none.</summary>
        public static List<ImageManifestInfo> Manifests(ImageToolsCmdlet cmdlet, object? item, Platform? platform)
        {
            if (item is PSObject pso) item = pso.BaseObject;
            switch (item)
            {
                case ImageManifestInfo m:
                    return new List<ImageManifestInfo> { m };
                case ImageLayerInfo l:
                    return new List<ImageManifestInfo> { l.ManifestInfo };
                case Image image:
                    return ManifestsOfImage(cmdlet, image, platform);
                default:
                    cmdlet.WriteError(ErrorRecords.Create(ErrorId.ImageNotFound,
                        $"'{item}' is not an image, manifest or layer; pipe in what Get-Image, Get-ImageManifest or Get-ImageLayer return.", item));
                    return new List<ImageManifestInfo>();
            }
        }

        /// <summary>The platform manifests of an image (the platform from its config where the index gives none), filtered by platform.</summary>
        public static List<ImageManifestInfo> ManifestsOfImage(ImageToolsCmdlet cmdlet, Image image, Platform? platform)
        {
            var found = new List<ImageManifestInfo>();
            foreach (var resolved in ImageWalker.Manifests(image.Store, image.Descriptor, e => cmdlet.WriteFailure(e, image)))
            {
                var info = new ImageManifestInfo(image, resolved);
                if (info.Platform == null)
                {
                    try { info.Platform = ImageDetails.PlatformOf(ImageWalker.ReadConfig(image.Store, resolved.Manifest.Config)); }
                    catch (ImageToolsException e) { cmdlet.WriteFailure(e, image); }
                }
                found.Add(info);
            }
            if (platform == null) return found;
            var matching = found.Where(m => m.Platform != null && Platform.Parse(m.Platform).Satisfies(platform)).ToList();
            if (matching.Count == 0)
                cmdlet.WriteError(ErrorRecords.Create(ErrorId.PlatformNotFound,
                    $"Image {image} has no manifest for platform {platform}; it has: {string.Join(", ", found.Select(m => m.Platform ?? "unknown"))}.", image));
            return matching;
        }

        /// <summary>Exactly one manifest for a cmdlet that works on one image at a time, or an error naming the choices.</summary>
        public static ImageManifestInfo? Single(ImageToolsCmdlet cmdlet, object? item, Platform? platform, string what)
        {
            var list = Manifests(cmdlet, item, platform);
            if (list.Count == 1) return list[0];
            if (list.Count > 1)
                cmdlet.WriteError(ErrorRecords.Create(ErrorId.PlatformNotFound,
                    $"{what} {list[0].ImageName ?? list[0].Image.Digest.ToString()} has {list.Count} platforms ({string.Join(", ", list.Select(m => m.Platform ?? "unknown"))}); choose one with -Platform.", item));
            return null;
        }
    }
}
