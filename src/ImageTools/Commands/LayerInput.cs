using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using ImageTools.Graph;
using ImageTools.Oci;
using ImageTools.Referrers;

namespace ImageTools.Commands
{
    /// <summary>Turns what the layer cmdlets are given (images, manifests, layers, possibly wrapped in PSObjects) into platform manifests.</summary>
    internal static class LayerInput
    {
        /// <summary>-Platform by the one platform rule; a value that is no platform stops the command.</summary>
        public static Platform? ParsePlatform(PSCmdlet cmdlet, string? platform)
        {
            if (platform == null) return null;
            try { return PlatformRule.Parse(platform); }
            catch (ImageToolsException e)
            {
                cmdlet.ThrowTerminatingError(ErrorRecords.From(e, platform));
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
                case ImageReferrer r:
                    return AsManifests(cmdlet, r);
                case Image image:
                    return ManifestsOfImage(cmdlet, image, platform);
                default:
                    cmdlet.WriteError(ErrorRecords.Create(ErrorId.ImageNotFound,
                        $"'{item}' is not an image, manifest or layer; pipe in what Get-Image, Get-ImageManifest or Get-ImageLayer return.", item));
                    return new List<ImageManifestInfo>();
            }
        }

        /// <summary>
        /// The platform manifests of an image, from its walk through the graph, filtered by platform. BuildKit's
        /// attestation manifests (unknown/unknown) are no platform: left out, unless <paramref name="withAttestations"/>
        /// and no platform is asked for (Get-ImageManifest lists them with Kind Attestation).
        /// </summary>
        public static List<ImageManifestInfo> ManifestsOfImage(ImageToolsCmdlet cmdlet, Image image, Platform? platform, bool withAttestations = false)
        {
            var walk = StoreGraph.Of(image.Store).Walk(image.Descriptor);
            foreach (var problem in walk.Problems) cmdlet.WriteFailure(problem, image);
            var platforms = walk.Manifests.Where(m => !AttestationManifests.Is(m)).ToList();
            var matching = (platform == null && withAttestations ? walk.Manifests : platforms)
                .Where(m => platform == null || (m.Platform != null && PlatformRule.Satisfies(m.Platform, platform)))
                .Select(m => new ImageManifestInfo(image, m)).ToList();
            if (platform != null && matching.Count == 0)
                cmdlet.WriteFailure(PlatformRule.NotFound($"Image {image}", platform, platforms.Select(m => m.Platform), image.StorePath), image);
            return matching;
        }

        /// <summary>A referrer as the manifest of its artifact, or none after writing why its blobs cannot be listed.</summary>
        public static List<ImageManifestInfo> AsManifests(ImageToolsCmdlet cmdlet, ImageReferrer referrer)
        {
            var m = referrer.AsManifest();
            if (m != null) return new List<ImageManifestInfo> { m };
            cmdlet.WriteError(ErrorRecords.Create(ErrorId.BlobNotFound,
                $"The manifest of {referrer.Kind} {referrer.Digest} (attached to {referrer.ImageName ?? referrer.Subject}) could not be read from {referrer.StorePath}; its blobs cannot be listed.", referrer));
            return new List<ImageManifestInfo>();
        }

        /// <summary>Exactly one manifest for a cmdlet that works on one image at a time, or an error naming the choices.</summary>
        public static ImageManifestInfo? Single(ImageToolsCmdlet cmdlet, object? item, Platform? platform, string what)
        {
            var list = Manifests(cmdlet, item, platform);
            if (list.Count == 1) return list[0];
            if (list.Count > 1)
                cmdlet.WriteFailure(PlatformRule.Ambiguous($"{what} {list[0].ImageName ?? list[0].Image.Digest.ToString()}",
                    list.Select(m => m.Resolved.Platform), list[0].Store.Location), item);
            return null;
        }
    }
}
