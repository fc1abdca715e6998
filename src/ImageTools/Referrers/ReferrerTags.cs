using System.Collections.Generic;
using ImageTools.Oci;

namespace ImageTools.Referrers
{
    /// <summary>
    /// The tag names that point at referrers of a digest: the referrers tag schema of the distribution spec
    /// (<c>&lt;alg&gt;-&lt;hex&gt;</c>, an index listing the referrers) and cosign's <c>&lt;alg&gt;-&lt;hex&gt;.sig</c>,
    /// <c>.att</c>, <c>.sbom</c> (one manifest each).
    /// </summary>
    public static class ReferrerTags
    {
        public const string SignatureSuffix = ".sig";
        public const string AttestationSuffix = ".att";
        public const string SbomSuffix = ".sbom";

        /// <summary>The fallback tag of a digest: <c>sha256-&lt;hex&gt;</c> (distribution-spec, "referrers tag schema"; a tag is at most 128 characters, so the hex is cut there).</summary>
        public static string Fallback(Digest subject)
        {
            var tag = subject.Algorithm + "-" + subject.Encoded;
            return tag.Length > 128 ? tag.Substring(0, 128) : tag;
        }

        /// <summary>cosign's three tags for a digest, in the order they are read.</summary>
        public static IReadOnlyList<string> Cosign(Digest subject)
        {
            var stem = subject.Algorithm + "-" + subject.Encoded;
            return new[] { stem + SignatureSuffix, stem + AttestationSuffix, stem + SbomSuffix };
        }

        /// <summary>True when a tag is one of the referrer tags of some digest (so listings of images can tell them apart).</summary>
        public static bool IsReferrerTag(string? tag)
        {
            if (tag == null) return false;
            var stem = tag;
            foreach (var suffix in new[] { SignatureSuffix, AttestationSuffix, SbomSuffix })
                if (tag.EndsWith(suffix, System.StringComparison.Ordinal)) { stem = tag.Substring(0, tag.Length - suffix.Length); break; }
            int dash = stem.IndexOf('-');
            return dash > 0 && Digest.TryParse(stem.Substring(0, dash) + ":" + stem.Substring(dash + 1), out _);
        }
    }
}
