using ImageTools.Oci;

namespace ImageTools
{
    /// <summary>The OCI-form digest of a file, as Get-ContentDigest returns it.</summary>
    public sealed class ContentDigestInfo
    {
        public string Path { get; internal set; } = "";
        public string Algorithm { get; internal set; } = "";
        public string Digest { get; internal set; } = "";

        /// <summary>Bytes digested: the file's size, or the decompressed size with -Uncompressed.</summary>
        public long Size { get; internal set; }

        public bool Uncompressed { get; internal set; }
        public string Compression => CompressionValue.ToString();
        internal Compression CompressionValue { get; set; }
    }
}
