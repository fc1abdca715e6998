using System;
using System.Collections.Generic;
using ImageTools.Oci;

namespace ImageTools.Referrers
{
    /// <summary>
    /// The one rule for which referrers travel with an image (-IncludeReferrers, into a registry, an archive or a
    /// layout): those of its subjects, then theirs (a signature of an SBOM), then one more level, each once.
    /// BuildKit's attestation manifests are inside the image's index and travel with it, so they are not followed here.
    /// </summary>
    public static class ReferrerWalk
    {
        /// <summary>Levels of referrers followed: the image's, then theirs, then one more.</summary>
        public const int MaxDepth = 3;

        /// <summary>
        /// Offers each referrer found to <paramref name="take"/>, breadth first; what it takes (returns true for) is
        /// searched for referrers in turn, up to <see cref="MaxDepth"/> levels. <paramref name="known"/> digests are
        /// never offered (the images themselves, what was taken already).
        /// </summary>
        public static void Follow(IEnumerable<Descriptor> subjects, IReferrerSource source, ISet<Digest> known,
            Func<FoundReferrer, bool> take, Action<Exception> onError)
        {
            var queue = new Queue<(Descriptor Subject, int Depth)>();
            foreach (var s in subjects) queue.Enqueue((s, 1));
            while (queue.Count > 0)
            {
                var (subject, depth) = queue.Dequeue();
                foreach (var found in source.Find(subject, onError))
                {
                    if (found.FoundBy == ReferrerFoundBy.BuildKitAttestation || !known.Add(found.Descriptor.Digest)) continue;
                    if (take(found) && depth < MaxDepth) queue.Enqueue((found.Descriptor, depth + 1));
                }
            }
        }
    }
}
