using System;
using System.Collections.Generic;
using System.Linq;
using ImageTools.Graph;
using ImageTools.Oci;

namespace ImageTools
{
    /// <summary>Fills an <see cref="Image"/>'s size, platforms, creation time and image IDs from its walk through the graph.</summary>
    internal static class ImageDetails
    {
        /// <summary>Walks the image once; later calls return at once.</summary>
        public static Image Fill(Image image, Action<Exception> onError)
        {
            if (image.DetailsFilled) return image;
            image.DetailsFilled = true;
            var graph = StoreGraph.Of(image.Store);
            var walk = graph.Walk(image.Descriptor);
            foreach (var problem in walk.Problems) onError(problem);
            var blobs = new Dictionary<Digest, long> { [image.Descriptor.Digest] = image.Descriptor.Size };
            var platforms = new List<string>();
            var ids = new List<Digest>();
            foreach (var index in walk.Indexes) blobs[index.Descriptor.Digest] = index.Descriptor.Size;
            foreach (var m in walk.Manifests)
            {
                blobs[m.Descriptor.Digest] = m.Descriptor.Size;
                blobs[m.Manifest.Config.Digest] = m.Manifest.Config.Size;
                foreach (var l in m.Manifest.Layers) blobs[l.Digest] = l.Size;
                if (Referrers.AttestationManifests.Is(m)) continue; // part of the image's size, but no platform and no image ID
                if (!ids.Contains(m.Manifest.Config.Digest)) ids.Add(m.Manifest.Config.Digest);
                if (image.Created == null)
                {
                    try { image.CreatedValue = graph.Config(m.Manifest.Config).Created; }
                    catch (Exception e) when (ExpectedFailures.IsExpected(e)) { onError(e); }
                }
                var platform = m.Platform?.ToString();
                if (platform != null && !platforms.Contains(platform)) platforms.Add(platform);
            }
            image.Size = DockerSize(image, ids) ?? blobs.Values.Sum();
            image.Platforms = new ValueList(platforms.ToArray());
            image.ImageIdValues = ids.ToArray();
            return image;
        }

        /// <summary>
        /// A Docker data root keeps no compressed blobs (its layer blobs are synthesized tars): the size there is the one
        /// <c>docker images</c> shows, the bytes of the layers' files as layerdb records them.
        /// </summary>
        private static long? DockerSize(Image image, List<Digest> ids)
        {
            if (!(image.Store is Stores.Docker.DockerRootStore docker) || ids.Count != 1) return null;
            return docker.Root.FindImage(ids[0])?.Size;
        }
    }
}
