using ImageTools.Oci;

namespace ImageTools.Export
{
    /// <summary>Where a save is: overall bytes, and the blob being copied.</summary>
    internal sealed class SaveProgress
    {
        public long TotalBytes { get; set; }
        public long DoneBytes { get; set; }
        public string Image { get; set; } = "";
        public Digest? Blob { get; set; }
        public long BlobBytes { get; set; }
        public long BlobSize { get; set; }
    }
}
