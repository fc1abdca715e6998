using ImageTools.Oci;

namespace ImageTools
{
    /// <summary>One image pushed to a registry, as Copy-Image -DestinationReference returns it.</summary>
    public sealed class PushedImage
    {
        /// <summary>Where it went: registry/repository:tag (or @digest).</summary>
        public string Reference { get; internal set; } = "";

        /// <summary>The digest of what was pushed as the root: the source's, unchanged.</summary>
        public string Digest => DigestValue.ToOutput();
        internal Digest DigestValue { get; set; } = null!;

        public string MediaType { get; internal set; } = "";

        public ValueList Platforms { get; internal set; } = ValueList.Empty;

        /// <summary>The image it came from (its store and name).</summary>
        public string Source { get; internal set; } = "";

        /// <summary>Blobs the repository had already (HEAD), mounted from another repository of the registry, and sent.</summary>
        public int SkippedBlobCount { get; internal set; }
        public int MountedBlobCount { get; internal set; }
        public int UploadedBlobCount { get; internal set; }

        /// <summary>Bytes sent for blobs.</summary>
        public long UploadedSize { get; internal set; }

        /// <summary>With -IncludeReferrers: the digests of the signatures, SBOMs and attestations pushed with the image (sha256:… strings).</summary>
        public string[] Referrers { get; internal set; } = new string[0];

        public override string ToString() => Reference + "@" + Digest;
    }
}
