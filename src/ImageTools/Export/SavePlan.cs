using System.Collections.Generic;
using System.Linq;
using ImageTools.Oci;
using ImageTools.Stores;

namespace ImageTools.Export
{
    /// <summary>What one image becomes in the archive: the manifests to copy, and the root index.json will name.</summary>
    internal sealed class SavePlan
    {
        private static readonly Platform DefaultPlatform = new Platform("linux", "amd64");

        private SavePlan(SaveEntry entry, bool keepIndex, IReadOnlyList<ResolvedManifest> manifests, ResolvedManifest primary)
        {
            Entry = entry;
            KeepIndex = keepIndex;
            Manifests = manifests;
            Primary = primary;
        }

        public SaveEntry Entry { get; }

        /// <summary>True when the root is an index saved whole (-AllPlatforms); else the root is the primary manifest.</summary>
        public bool KeepIndex { get; }

        public IReadOnlyList<ResolvedManifest> Manifests { get; }

        /// <summary>The manifest named in manifest.json: the requested platform, else linux/amd64, else the first.</summary>
        public ResolvedManifest Primary { get; }

        public static SavePlan Create(SaveEntry entry, SaveOptions options)
        {
            var store = entry.Store;
            bool isIndex = ImageWalker.IsIndex(store, entry.Root);
            var all = ImageWalker.Manifests(store, entry.Root).ToList();
            if (all.Count == 0)
                throw new ImageToolsException(ErrorId.MalformedContent, $"{entry.Label} has no image manifest.", entry.Label, store.Location);
            var platforms = all.Select(m => m.Platform ?? PlatformFromConfig(store, m)).ToList();

            int chosen;
            if (options.Platform != null)
            {
                chosen = platforms.FindIndex(p => p != null && p.Satisfies(options.Platform));
                if (chosen < 0)
                    throw new ImageToolsException(ErrorId.PlatformNotFound,
                        $"{entry.Label} has no manifest for platform {options.Platform}; it has: {string.Join(", ", platforms.Select(p => p?.ToString() ?? "unknown"))}.",
                        entry.Label, store.Location);
            }
            else
            {
                chosen = platforms.FindIndex(p => p != null && p.Satisfies(DefaultPlatform));
                if (chosen < 0) chosen = platforms.FindIndex(p => p != null && p.Os != "unknown");
                if (chosen < 0) chosen = 0;
            }
            bool keepIndex = isIndex && options.AllPlatforms;
            var manifests = keepIndex ? all : new List<ResolvedManifest> { all[chosen] };
            return new SavePlan(entry, keepIndex, manifests, all[chosen]);
        }

        private static Platform? PlatformFromConfig(IImageStore store, ResolvedManifest m)
        {
            var config = ImageWalker.ReadConfig(store, m.Manifest.Config);
            return string.IsNullOrEmpty(config.Os) ? null : new Platform(config.Os!, config.Architecture ?? "", config.Variant);
        }
    }
}
