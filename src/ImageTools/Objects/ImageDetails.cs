using System;
using System.Collections.Generic;
using System.Linq;
using ImageTools.Oci;
using ImageTools.Stores;

namespace ImageTools
{
    /// <summary>Fills an <see cref="Image"/>'s size, platforms, creation time and image IDs from its manifests and configs.</summary>
    internal static class ImageDetails
    {
        /// <summary>Reads the image's manifests and configs once; later calls return at once.</summary>
        public static Image Fill(Image image, Action<ImageToolsException> onError)
        {
            if (image.DetailsFilled) return image;
            image.DetailsFilled = true;
            var store = image.Store;
            var root = image.Descriptor;
            var blobs = new Dictionary<Digest, long> { [root.Digest] = root.Size };
            var platforms = new List<string>();
            var ids = new List<Digest>();
            foreach (var m in ImageWalker.Manifests(store, root, onError))
            {
                foreach (var index in m.Indexes) blobs[index.Digest] = index.Size;
                blobs[m.Descriptor.Digest] = m.Descriptor.Size;
                blobs[m.Manifest.Config.Digest] = m.Manifest.Config.Size;
                foreach (var l in m.Manifest.Layers) blobs[l.Digest] = l.Size;
                if (!ids.Contains(m.Manifest.Config.Digest)) ids.Add(m.Manifest.Config.Digest);
                var platform = m.Platform?.ToString();
                if (platform == null || image.Created == null)
                {
                    try
                    {
                        var config = ImageWalker.ReadConfig(store, m.Manifest.Config);
                        platform ??= PlatformOf(config);
                        image.Created ??= config.Created;
                    }
                    catch (ImageToolsException e) { onError(e); }
                }
                if (platform != null && !platforms.Contains(platform)) platforms.Add(platform);
            }
            image.Size = blobs.Values.Sum();
            image.Platforms = platforms.ToArray();
            image.ImageIds = ids.ToArray();
            return image;
        }

        public static string? PlatformOf(ImageConfig config)
        {
            if (string.IsNullOrEmpty(config.Os) || string.IsNullOrEmpty(config.Architecture)) return null;
            return new Platform(config.Os!, config.Architecture!, config.Variant).ToString();
        }
    }
}
