using System.IO;
using ImageTools.Content;
using ImageTools.Oci;

namespace ImageTools.Stores
{
    /// <summary>Reads blobs from a store, always verifying them against their descriptor as they stream.</summary>
    public static class BlobReader
    {
        /// <summary>Manifests and indexes are small (registries cap them at 4 MiB); refuse to load anything huge into memory.</summary>
        public const long MaxManifestSize = 16L << 20;
        public const long MaxConfigSize = 64L << 20;

        /// <summary>The blob's bytes, digested as they are read and checked against the descriptor at the end.</summary>
        /// <param name="store">Where the blob is.</param>
        /// <param name="descriptor">What the blob must be: digest and size.</param>
        /// <param name="hashInBackground">Hash on a thread of its own, for large blobs whose reader works hard too (a save, a DiffID check).</param>
        public static VerifyingStream OpenVerified(IImageStore store, Descriptor descriptor, bool hashInBackground = false)
        {
            // an algorithm that cannot be computed is said as such, before the store is asked for a blob it cannot name
            DigestAlgorithms.RequireSupported(descriptor.Digest, store.Location);
            return new VerifyingStream(store.OpenBlob(descriptor.Digest), descriptor.Digest, descriptor.Size, store.DescribeBlob(descriptor.Digest), hashInBackground);
        }

        public static byte[] ReadVerified(IImageStore store, Descriptor descriptor, long maxSize)
        {
            if (descriptor.Size > maxSize)
                throw new ImageToolsException(ErrorId.ContentTooLarge,
                    $"Blob {descriptor.Digest} ({descriptor.MediaType}) declares {descriptor.Size} bytes, more than the {maxSize} allowed for it.",
                    descriptor.Digest.ToString(), store.Location);
            using var s = OpenVerified(store, descriptor);
            var data = new byte[descriptor.Size];
            int total = s.ReadFully(data);
            // One more read lets the stream check for extra bytes and the digest.
            if (s.Read(new byte[1], 0, 1) != 0 || total != data.Length)
                throw new BlobVerificationException(ErrorId.SizeMismatch,
                    $"Blob {descriptor.Digest} at {store.DescribeBlob(descriptor.Digest)} does not have the {descriptor.Size} bytes its descriptor says.",
                    descriptor.Digest, store.DescribeBlob(descriptor.Digest), null, total);
            return data;
        }
    }
}
