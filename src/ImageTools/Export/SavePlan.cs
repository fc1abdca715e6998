using System.Collections.Generic;
using System.Linq;
using ImageTools.Graph;
using ImageTools.Oci;
using ImageTools.Stores;

namespace ImageTools.Export
{
    /// <summary>What one image becomes in the archive: the manifests to copy, and the root index.json will name.</summary>
    internal sealed class SavePlan
    {
        private SavePlan(SaveEntry entry, bool keepIndex, bool newIndex, IReadOnlyList<ResolvedManifest> manifests, ResolvedManifest primary, IReadOnlyList<WalkedIndex> indexes)
        {
            Entry = entry;
            KeepIndex = keepIndex;
            NewIndex = newIndex;
            Manifests = manifests;
            Primary = primary;
            Indexes = indexes;
        }

        public SaveEntry Entry { get; }

        /// <summary>True when the root is an index saved whole (-AllPlatforms); else the root is the primary manifest.</summary>
        public bool KeepIndex { get; }

        /// <summary>
        /// True when one platform is saved with its BuildKit attestation manifest (-IncludeReferrers): the root is a
        /// new index of the two, as the attestation lives only in an index (its <c>vnd.docker.reference.digest</c>
        /// names the platform manifest).
        /// </summary>
        public bool NewIndex { get; }

        public IReadOnlyList<ResolvedManifest> Manifests { get; }

        /// <summary>The indexes the image reaches (copied as they are when the root index is kept).</summary>
        public IReadOnlyList<WalkedIndex> Indexes { get; }

        /// <summary>The manifest named in manifest.json: the requested platform, else linux/amd64, else the first.</summary>
        public ResolvedManifest Primary { get; }

        /// <summary>The plan from the image's walk through the graph; anything wrong in the walk fails the image.</summary>
        public static SavePlan Create(SaveEntry entry, SaveOptions options)
        {
            var store = entry.Store;
            var walk = StoreGraph.Of(store).Walk(entry.Root);
            if (walk.Problems.Count > 0) throw walk.Problems[0];
            var all = walk.Manifests;
            if (all.Count == 0)
                throw new ImageToolsException(ErrorId.MalformedContent, $"{entry.Label} has no image manifest.", entry.Label, store.Location);
            // BuildKit's attestation manifests are saved with the index (-AllPlatforms), never chosen as the platform
            var platforms = all.Select(m => Referrers.AttestationManifests.Is(m) ? null : m.Platform).ToList();

            int chosen;
            if (options.Platform != null)
            {
                chosen = platforms.FindIndex(p => p != null && PlatformRule.Satisfies(p, options.Platform));
                if (chosen < 0) throw PlatformRule.NotFound(entry.Label, options.Platform, platforms.Where(p => p != null), store.Location);
            }
            else
            {
                chosen = platforms.FindIndex(p => p != null && PlatformRule.Satisfies(p, PlatformRule.Default));
                if (chosen < 0) chosen = platforms.FindIndex(p => p != null && p.Os != "unknown");
                if (chosen < 0) chosen = all.ToList().FindIndex(m => !Referrers.AttestationManifests.Is(m));
                if (chosen < 0) chosen = 0;
            }
            bool keepIndex = walk.RootIsIndex && options.AllPlatforms;
            var manifests = keepIndex ? all.ToList() : new List<ResolvedManifest> { all[chosen] };
            bool newIndex = false;
            if (!keepIndex && walk.RootIsIndex && options.IncludeReferrers && !entry.IsReferrer)
            {
                var attestations = all.Where(m => Referrers.AttestationManifests.Is(m.Descriptor, out var about) && about == all[chosen].Descriptor.Digest).ToList();
                manifests.AddRange(attestations);
                newIndex = attestations.Count > 0;
            }
            return new SavePlan(entry, keepIndex, newIndex, manifests, all[chosen], walk.Indexes);
        }
    }
}
