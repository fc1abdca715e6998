using System;
using System.Collections.Generic;
using System.Linq;
using ImageTools.Oci;
using ImageTools.Referrers;

namespace ImageTools.Export
{
    /// <summary>
    /// The artifacts that travel with saved images (-IncludeReferrers): the referrers of each image's root and of
    /// each manifest it saves, as Get-ImageReferrer finds them, and theirs in turn (<see cref="ReferrerWalk"/>).
    /// Artifacts with a subject are written unnamed (found again by their subject); cosign's keep their tag
    /// (repository:sha256-&lt;hex&gt;.sig), which is how cosign finds them. BuildKit attestation manifests are part of the index and travel with it (-AllPlatforms).
    /// </summary>
    internal static class ReferrerEntries
    {
        public static List<SaveEntry> For(IReadOnlyList<SaveEntry> images, SaveOptions options, Action<Exception> onError)
        {
            var added = new List<SaveEntry>();
            var seen = new HashSet<Digest>(images.Select(e => e.Root.Digest));
            foreach (var image in images.Where(e => !e.IsReferrer))
            {
                var source = ReferrerSources.For(image.Store, image.SourceRepository);
                ReferrerWalk.Follow(Subjects(image, options), source, seen, found =>
                {
                    var entry = new SaveEntry(found.Store, found.Descriptor, $"{found.FoundBy} referrer {found.Descriptor.Digest} of {image.Label}") { IsReferrer = true };
                    if (found.FoundBy == ReferrerFoundBy.CosignTag && found.Tag != null)
                        foreach (var name in image.Names) entry.AddName(name.WithTag(found.Tag));
                    added.Add(entry);
                    return true;
                }, onError);
            }
            return added;
        }

        /// <summary>The image's root and the manifests the save writes (a referrer may be about either).</summary>
        private static IEnumerable<Descriptor> Subjects(SaveEntry image, SaveOptions options)
        {
            var subjects = new List<Descriptor> { image.Root };
            try
            {
                foreach (var m in SavePlan.Create(image, options).Manifests)
                    if (!AttestationManifests.Is(m) && m.Descriptor.Digest != image.Root.Digest) subjects.Add(m.Descriptor);
            }
            catch (ImageToolsException) { } // the saver reports it
            return subjects;
        }
    }
}
