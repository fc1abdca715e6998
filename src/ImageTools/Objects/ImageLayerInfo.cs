using ImageTools.Oci;
using ImageTools.Stores;

namespace ImageTools
{
    /// <summary>One layer of a platform manifest, as Get-ImageLayer returns it.</summary>
    public sealed class ImageLayerInfo
    {
        internal ImageLayerInfo(ImageManifestInfo manifest, int index, Descriptor descriptor, Digest? diffId, Digest? chainId, Compression compression)
        {
            ManifestInfo = manifest;
            Index = index;
            Descriptor = descriptor;
            DiffIdValue = diffId;
            ChainIdValue = chainId;
            CompressionValue = compression;
        }

        public string? ImageName => ManifestInfo.ImageName;
        public string? Platform => ManifestInfo.Platform;

        /// <summary>Position from the bottom of the image, starting at 0.</summary>
        public int Index { get; }

        /// <summary>The digest of the blob as stored (usually compressed).</summary>
        public string Digest => Descriptor.Digest.ToOutput();

        /// <summary>The digest of the uncompressed layer tar, from the config's rootfs.diff_ids.</summary>
        public string? DiffId => DiffIdValue.ToOutputOrNull();
        internal Digest? DiffIdValue { get; }

        public string? ChainId => ChainIdValue.ToOutputOrNull();
        internal Digest? ChainIdValue { get; }
        public string MediaType => Descriptor.MediaType;

        /// <summary>The compression found in the blob's first bytes (Unknown when the blob is missing).</summary>
        public string Compression => CompressionValue.ToString();
        internal Compression CompressionValue { get; }

        public long Size => Descriptor.Size;

        internal ImageManifestInfo ManifestInfo { get; }
        internal IImageStore Store => ManifestInfo.Store;
        internal Descriptor Descriptor { get; }
    }
}
