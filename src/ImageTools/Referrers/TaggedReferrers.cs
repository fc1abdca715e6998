using System;
using System.Collections.Generic;
using ImageTools.Graph;
using ImageTools.Oci;
using ImageTools.Stores;

namespace ImageTools.Referrers
{
    /// <summary>
    /// The referrers tags point at, the same for every store that has tags: the fallback tag <c>sha256-&lt;hex&gt;</c>
    /// (an index whose manifests are the referrers, with their artifactType and annotations) and cosign's
    /// <c>.sig</c>, <c>.att</c>, <c>.sbom</c> tags (the manifest each points at is the referrer).
    /// </summary>
    public static class TaggedReferrers
    {
        public static IEnumerable<FoundReferrer> Find(IImageStore store, IReferrerTagLookup tags, Digest subject, Action<Exception> onError)
        {
            var found = new List<FoundReferrer>();
            var fallback = ReferrerTags.Fallback(subject);
            var index = Lookup(tags, fallback, onError);
            if (index != null)
            {
                try
                {
                    foreach (var d in StoreGraph.Of(store).Index(index).Manifests)
                        found.Add(new FoundReferrer(d, subject, ReferrerFoundBy.FallbackTag, store, fallback));
                }
                catch (Exception e) when (ExpectedFailures.IsExpected(e)) { onError(e); }
            }
            foreach (var tag in ReferrerTags.Cosign(subject))
            {
                var d = Lookup(tags, tag, onError);
                if (d != null) found.Add(new FoundReferrer(d, subject, ReferrerFoundBy.CosignTag, store, tag));
            }
            return found;
        }

        private static Descriptor? Lookup(IReferrerTagLookup tags, string tag, Action<Exception> onError)
        {
            try { return tags.FindTag(tag); }
            catch (Exception e) when (ExpectedFailures.IsExpected(e)) { onError(e); return null; }
        }
    }
}
