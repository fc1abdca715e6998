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

        /// <summary>
        /// The fallback tag of a digest (distribution-spec, "Referrers Tag Schema"): the algorithm cut to 32 characters,
        /// <c>-</c>, the encoded part cut to 64 characters, every character a tag may not hold replaced with <c>-</c>.
        /// </summary>
        public static string Fallback(Digest subject) => Fallback(subject.Algorithm, subject.Encoded);

        internal static string Fallback(string algorithm, string encoded)
        {
            var tag = Truncate(algorithm, 32) + "-" + Truncate(encoded, 64);
            var chars = tag.ToCharArray();
            for (int i = 0; i < chars.Length; i++)
                if (!IsTagChar(chars[i])) chars[i] = '-';
            return new string(chars);
        }

        private static string Truncate(string value, int length) => value.Length > length ? value.Substring(0, length) : value;

        // A tag is [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}; the algorithm's first character is already a letter or digit.
        private static bool IsTagChar(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';

        /// <summary>cosign's three tags for a digest, in the order they are read.</summary>
        public static IReadOnlyList<string> Cosign(Digest subject)
        {
            var stem = subject.Algorithm + "-" + subject.Encoded;
            return new[] { stem + SignatureSuffix, stem + AttestationSuffix, stem + SbomSuffix };
        }

        /// <summary>
        /// True when a tag is one of the referrer tags of some digest (so listings of images can tell them apart):
        /// <c>sha256-</c> or <c>sha512-</c> and 64 lowercase hex characters (a sha512's cut there, as the fallback
        /// tag schema cuts it), with or without cosign's suffix.
        /// </summary>
        public static bool IsReferrerTag(string? tag)
        {
            if (tag == null) return false;
            var stem = tag;
            foreach (var suffix in new[] { SignatureSuffix, AttestationSuffix, SbomSuffix })
                if (tag.EndsWith(suffix, System.StringComparison.Ordinal)) { stem = tag.Substring(0, tag.Length - suffix.Length); break; }
            foreach (var algorithm in new[] { Digest.Sha256, Digest.Sha512 })
                if (stem.Length == algorithm.Length + 1 + 64 && stem.StartsWith(algorithm + "-", System.StringComparison.Ordinal)
                    && Hex.IsLowerHex(stem, algorithm.Length + 1))
                    return true;
            return false;
        }
    }
}
