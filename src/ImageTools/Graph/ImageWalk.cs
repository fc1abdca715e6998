using System.Collections.Generic;
using ImageTools.Oci;

namespace ImageTools.Graph
{
    /// <summary>An index reached by a walk, parsed.</summary>
    public sealed class WalkedIndex
    {
        public WalkedIndex(Descriptor descriptor, ImageIndex index, int depth)
        {
            Descriptor = descriptor;
            Index = index;
            Depth = depth;
        }

        public Descriptor Descriptor { get; }
        public ImageIndex Index { get; }

        /// <summary>0 for the root.</summary>
        public int Depth { get; }
    }

    /// <summary>
    /// Everything one root reaches: its indexes and platform manifests, each once however many paths lead to it,
    /// the descriptors that could not be read, and what was found wrong (a missing or corrupt child, a cycle).
    /// </summary>
    public sealed class ImageWalk
    {
        internal ImageWalk(Descriptor root) { Root = root; }

        public Descriptor Root { get; }

        /// <summary>True when the root is an index (by media type or by content).</summary>
        public bool RootIsIndex { get; internal set; }

        /// <summary>The distinct indexes reached, the root first, in the order the walk met them.</summary>
        public IReadOnlyList<WalkedIndex> Indexes => IndexList;

        /// <summary>The distinct platform manifests reached (one per digest and platform).</summary>
        public IReadOnlyList<ResolvedManifest> Manifests => ManifestList;

        /// <summary>Indexes and manifests listed somewhere in the walk that could not be read (missing, corrupt, malformed).</summary>
        public IReadOnlyList<Descriptor> Unreadable => UnreadableList;

        /// <summary>Problems met on the way (expected failures: see <see cref="ExpectedFailures"/>); the walk went on with the siblings of what failed.</summary>
        public IReadOnlyList<System.Exception> Problems => ProblemList;

        internal List<WalkedIndex> IndexList { get; } = new List<WalkedIndex>();
        internal List<ResolvedManifest> ManifestList { get; } = new List<ResolvedManifest>();
        internal List<Descriptor> UnreadableList { get; } = new List<Descriptor>();
        internal List<System.Exception> ProblemList { get; } = new List<System.Exception>();
    }
}
