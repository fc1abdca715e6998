using ImageTools.Oci;
using ImageTools.Stores;

namespace ImageTools.Referrers
{
    /// <summary>
    /// A referrer as a source found it: its descriptor (as the referrers index, the tag or the parent index gives it),
    /// the digest it refers to, how it was found, and the store its blobs are read from. Its manifest is read later
    /// (by the command that reports it), so a source that lists referrers (the referrers API, a fallback index) need not read them.
    /// </summary>
    public sealed class FoundReferrer
    {
        public FoundReferrer(Descriptor descriptor, Digest subject, ReferrerFoundBy foundBy, IImageStore store, string? tag = null)
        {
            Descriptor = descriptor;
            Subject = subject;
            FoundBy = foundBy;
            Store = store;
            Tag = tag;
        }

        public Descriptor Descriptor { get; }
        public Digest Subject { get; }
        public ReferrerFoundBy FoundBy { get; }

        /// <summary>Where the referrer's manifest and blobs are read: the store it was found in, or a remote repository.</summary>
        public IImageStore Store { get; }

        /// <summary>The tag it was found by (the fallback tag, a cosign tag); null otherwise.</summary>
        public string? Tag { get; }
    }
}
