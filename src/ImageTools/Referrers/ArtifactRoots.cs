using System;
using ImageTools.Graph;
using ImageTools.Oci;
using ImageTools.Stores;

namespace ImageTools.Referrers
{
    /// <summary>
    /// Whether a root of a store's names table is an attached artifact rather than an image: tagged with a referrer
    /// tag (the fallback tag <c>sha256-&lt;hex&gt;</c>, cosign's <c>.sig</c>, <c>.att</c>, <c>.sbom</c>), or a
    /// manifest with a <c>subject</c>, an <c>artifactType</c> or a config that is not an image config. Listings of
    /// "all images" leave these out (docker load refuses a manifest.json entry whose config is not an image config).
    /// </summary>
    public static class ArtifactRoots
    {
        public static bool IsArtifact(IImageStore store, NamedImage named)
        {
            if (ReferrerTags.IsReferrerTag(named.Name) || ReferrerTags.IsReferrerTag(named.Reference?.Tag)) return true;
            var root = named.Root;
            if (!string.IsNullOrEmpty(root.ArtifactType)) return true;
            try
            {
                var graph = StoreGraph.Of(store);
                if (graph.IsIndex(root)) return false;
                var manifest = graph.Manifest(root);
                return manifest.Subject != null || !string.IsNullOrEmpty(manifest.ArtifactType)
                    || (!string.IsNullOrEmpty(manifest.Config.MediaType) && !MediaTypes.IsConfig(manifest.Config.MediaType));
            }
            // A root that cannot be read is listed, so that reading it reports what is wrong.
            catch (Exception e) when (ExpectedFailures.IsExpected(e)) { return false; }
        }
    }
}
