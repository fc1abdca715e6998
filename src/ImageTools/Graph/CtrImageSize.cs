using System;
using System.Linq;
using ImageTools.Oci;

namespace ImageTools.Graph
{
    /// <summary>
    /// The size <c>ctr images ls</c> shows (containerd's images.Size with platforms.Default()): the root's descriptor
    /// size, and through an index only the first child that fits this machine's platform, down to each manifest's
    /// config and layers by their descriptors' sizes. A blob that cannot be read stops the walk with what was added
    /// so far, as ctr logs the error and prints the partial sum.
    /// </summary>
    internal static class CtrImageSize
    {
        private const int MaxDepth = 16;

        public static long Of(StoreGraph graph, Descriptor root)
        {
            long size = 0;
            try { Add(graph, root, PlatformRule.Parse("linux"), ref size, 0); }
            catch (Exception e) when (ExpectedFailures.IsExpected(e)) { }
            return size;
        }

        private static void Add(StoreGraph graph, Descriptor d, Platform host, ref long size, int depth)
        {
            size += d.Size;
            if (depth > MaxDepth) return;
            if (MediaTypes.IsIndex(d.MediaType) || (string.IsNullOrEmpty(d.MediaType) && graph.IsIndex(d)))
            {
                // FilterPlatforms keeps children with no platform or a matching one; LimitManifests sorts those with
                // no platform last and keeps the first
                var children = graph.Index(d).Manifests;
                var child = children.FirstOrDefault(c => c.Platform != null && PlatformRule.Satisfies(c.Platform, host))
                    ?? children.FirstOrDefault(c => c.Platform == null);
                if (child != null) Add(graph, child, host, ref size, depth + 1);
            }
            else if (MediaTypes.IsManifest(d.MediaType) || string.IsNullOrEmpty(d.MediaType))
            {
                var manifest = graph.Manifest(d);
                size += manifest.Config.Size;
                foreach (var layer in manifest.Layers) size += layer.Size;
            }
        }
    }
}
