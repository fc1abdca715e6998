using ImageTools.Oci;

namespace ImageTools.Content.Archives
{
    /// <summary>What the listing pass of a compressed archive digests of each regular entry, when asked.</summary>
    public enum EntryDigestMode
    {
        /// <summary>Nothing: the listing only records where entries lie.</summary>
        None,
        /// <summary>The digest and size of each entry's bytes.</summary>
        Blob,
        /// <summary>Also the digest of what a gzip or zstd entry decompresses to (a layer's DiffID).</summary>
        BlobAndContent,
    }

    /// <summary>
    /// An entry digested as the listing pass streamed over it, so that verifying its blob needs no second
    /// decompression of the archive. <see cref="Content"/> is null when the content digest was not asked for or
    /// could not be computed (a damaged compressed entry: the verifier then reads it again to report why).
    /// </summary>
    public sealed class ListedEntryDigest
    {
        public ListedEntryDigest(DigestResult blob, Digest? content)
        {
            Blob = blob;
            Content = content;
        }

        public DigestResult Blob { get; }
        public Digest? Content { get; }
    }
}
