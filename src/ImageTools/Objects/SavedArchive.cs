using ImageTools.Export;
using ImageTools.Oci;

namespace ImageTools
{
    /// <summary>One image in a saved archive: its names (none when saved by ID or digest) and digests.</summary>
    public sealed class SavedImage
    {
        public ValueList Names { get; internal set; } = ValueList.Empty;
        /// <summary>The root descriptor's digest in the archive (index.json).</summary>
        public string Digest { get; internal set; } = "";
        public string ManifestDigest { get; internal set; } = "";
        public string ImageId { get; internal set; } = "";
        public string Source { get; internal set; } = "";

        public override string ToString() => Names.Length > 0 ? string.Join(", ", Names) : OutputValue.ToDigest(ImageId).Short;
    }

    /// <summary>What Save-Image and Copy-Image wrote.</summary>
    public sealed class SavedArchive
    {
        public string Path { get; internal set; } = "";
        public string Format => FormatValue.ToString();
        internal SaveFormat FormatValue { get; set; }
        public SavedImage[] Images { get; internal set; } = new SavedImage[0];
        /// <summary>Artifacts written with the images (-IncludeReferrers): signatures, SBOMs, attestations.</summary>
        public int ReferrerCount { get; internal set; }
        /// <summary>Blobs written in this run (each once, however many images share it).</summary>
        public int BlobCount { get; internal set; }
        /// <summary>Blobs already present in the destination layout, verified, and not written again.</summary>
        public int SkippedBlobCount { get; internal set; }
        /// <summary>Bytes written: the archive's size, or the bytes added to a layout.</summary>
        public long Size { get; internal set; }
        /// <summary>sha256 of the archive file (null for a layout folder).</summary>
        public string? Digest { get; internal set; }
    }
}
