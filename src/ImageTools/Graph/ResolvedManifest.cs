using System.Collections.Generic;
using ImageTools.Oci;

namespace ImageTools.Graph
{
    /// <summary>A platform manifest reached from a root descriptor, with its platform (the index's, else its config's).</summary>
    public sealed class ResolvedManifest
    {
        public ResolvedManifest(Descriptor descriptor, ImageManifest manifest, Platform? platform, IReadOnlyList<Descriptor> indexes)
        {
            Descriptor = descriptor;
            Manifest = manifest;
            Platform = platform;
            Indexes = indexes;
        }

        public Descriptor Descriptor { get; }
        public ImageManifest Manifest { get; }

        /// <summary>The platform the index gave it, or the one its config declares when no index does.</summary>
        public Platform? Platform { get; }

        /// <summary>The indexes passed through on the way from the root, outermost first (the first path found).</summary>
        public IReadOnlyList<Descriptor> Indexes { get; }
    }
}
