using System;
using System.Collections.Generic;
using System.Linq;
using ImageTools.Graph;
using ImageTools.Oci;
using ImageTools.Stores;

namespace ImageTools
{
    /// <summary>Fills an <see cref="Image"/>'s size, platforms, creation time and image IDs from its walk through the graph.</summary>
    internal static class ImageDetails
    {
        /// <summary>What one walk of an image's graph tells: its blobs with their sizes, platforms and configs.</summary>
        internal sealed class Measure
        {
            public Dictionary<Digest, long> Blobs { get; } = new Dictionary<Digest, long>();
            public List<string> Platforms { get; } = new List<string>();

            /// <summary>The config descriptors of the platform manifests (attestation manifests left out), first seen first.</summary>
            public List<Descriptor> Configs { get; } = new List<Descriptor>();

            public long Size => Blobs.Values.Sum();
        }

        /// <summary>
        /// Walks the image from its root: the distinct blobs it reaches (indexes, manifests, configs, layers, by their
        /// descriptors' sizes, as ctr images ls adds them) and the platforms of its manifests that are present.
        /// </summary>
        public static Measure Walk(IImageStore store, Descriptor root, Action<Exception> onError)
        {
            var walk = StoreGraph.Of(store).Walk(root);
            foreach (var problem in walk.Problems) onError(problem);
            var measure = new Measure();
            measure.Blobs[root.Digest] = root.Size;
            foreach (var index in walk.Indexes) measure.Blobs[index.Descriptor.Digest] = index.Descriptor.Size;
            foreach (var m in walk.Manifests)
            {
                measure.Blobs[m.Descriptor.Digest] = m.Descriptor.Size;
                measure.Blobs[m.Manifest.Config.Digest] = m.Manifest.Config.Size;
                foreach (var l in m.Manifest.Layers) measure.Blobs[l.Digest] = l.Size;
                if (Referrers.AttestationManifests.Is(m)) continue; // part of the image's size, but no platform and no image ID
                if (!measure.Configs.Any(c => c.Digest == m.Manifest.Config.Digest)) measure.Configs.Add(m.Manifest.Config);
                var platform = m.Platform?.ToString();
                if (platform != null && !measure.Platforms.Contains(platform)) measure.Platforms.Add(platform);
            }
            return measure;
        }

        /// <summary>Walks the image once; later calls return at once.</summary>
        public static Image Fill(Image image, Action<Exception> onError)
        {
            if (image.DetailsFilled) return image;
            image.DetailsFilled = true;
            var measure = Walk(image.Store, image.Descriptor, onError);
            var ids = measure.Configs.Select(c => c.Digest).ToList();
            foreach (var config in measure.Configs)
            {
                if (image.Created != null) break;
                try { image.CreatedValue = StoreGraph.Of(image.Store).Config(config).Created; }
                catch (Exception e) when (ExpectedFailures.IsExpected(e)) { onError(e); }
            }
            image.Size = DockerSize(image, ids) ?? measure.Size;
            image.Platforms = new ValueList(measure.Platforms.ToArray());
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
