using ImageTools.Oci;

namespace ImageTools
{
    public enum BlobKind
    {
        Index,
        Manifest,
        Config,
        Layer,
        Blob,
    }

    public enum BlobStatus
    {
        Valid,
        DigestMismatch,
        SizeMismatch,
        Missing,
        DiffIdMismatch,
        Unreadable,
    }

    /// <summary>The verdict on one blob, as Test-ImageBlob returns it.</summary>
    public sealed class BlobCheckResult
    {
        public string Digest { get; internal set; } = "";
        public string Kind => KindValue.ToString();
        internal BlobKind KindValue { get; set; }
        public string Status => StatusValue.ToString();
        internal BlobStatus StatusValue { get; set; }
        public string Location { get; internal set; } = "";
        public long ExpectedSize { get; internal set; }
        public long? ActualSize { get; internal set; }
        public string? ActualDigest { get; internal set; }

        /// <summary>For layers checked with -DiffId: the DiffID the config expects and the one the content has.</summary>
        public string? DiffId { get; internal set; }
        public string? ActualDiffId { get; internal set; }

        /// <summary>The images that reach this blob.</summary>
        public ValueList Images { get; internal set; } = ValueList.Empty;

        public string? Message { get; internal set; }

        /// <summary>The stable id of what went wrong (DigestMismatch, TarSplitMismatch, CompressedStreamTruncated...), null when valid.</summary>
        public string? ErrorId => ErrorIdValue?.ToString();
        internal ErrorId? ErrorIdValue { get; set; }

        public bool IsValid => StatusValue == BlobStatus.Valid;
    }
}
