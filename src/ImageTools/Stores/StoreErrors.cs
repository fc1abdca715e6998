using ImageTools.Oci;

namespace ImageTools.Stores
{
    internal static class StoreErrors
    {
        public static ImageToolsException BlobNotFound(IImageStore store, Digest digest) =>
            new ImageToolsException(ErrorId.BlobNotFound,
                $"Blob {digest} is not in {store.Kind} store {store.Location} (looked for {store.DescribeBlob(digest)}).",
                digest.ToString(), store.Location);

        /// <summary>MalformedContent, or InvalidDigest when what is malformed is a digest (see <see cref="ImageToolsException"/>).</summary>
        public static ImageToolsException Malformed(string location, string message, System.Exception? inner = null) =>
            new ImageToolsException(ErrorId.MalformedContent, message, location, location, inner);
    }
}
