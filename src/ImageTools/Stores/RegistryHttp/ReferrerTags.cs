using ImageTools.Oci;

namespace ImageTools.Stores.RegistryHttp
{
    /// <summary>
    /// The tags under which referrers are kept where a registry has no referrers API: the distribution spec's
    /// referrers tag schema (<c>&lt;alg&gt;-&lt;ref&gt;</c>, an index of referrers) and cosign's tags (<c>sha256-&lt;hex&gt;.sig</c>,
    /// <c>.att</c>, <c>.sbom</c>, a manifest each).
    /// </summary>
    public static class ReferrerTags
    {
        /// <summary>cosign's tag suffixes: signatures, attestations, SBOMs.</summary>
        public static readonly string[] CosignSuffixes = { ".sig", ".att", ".sbom" };

        /// <summary>The fallback tag of a subject: the algorithm cut to 32 characters, a dash, the encoded digest cut to 64 (distribution-spec, "Referrers Tag Schema").</summary>
        public static string Fallback(Digest subject) =>
            Cut(subject.Algorithm, 32) + "-" + Cut(subject.Encoded, 64);

        /// <summary>cosign's tag for a subject with one of <see cref="CosignSuffixes"/>.</summary>
        public static string Cosign(Digest subject, string suffix) => subject.Algorithm + "-" + subject.Encoded + suffix;

        /// <summary>The cosign suffix a tag ends with, or null.</summary>
        public static string? CosignSuffixOf(string? tag)
        {
            if (tag == null) return null;
            foreach (var s in CosignSuffixes)
                if (tag.EndsWith(s, System.StringComparison.Ordinal)) return s;
            return null;
        }

        private static string Cut(string text, int length) => text.Length > length ? text.Substring(0, length) : text;
    }
}
