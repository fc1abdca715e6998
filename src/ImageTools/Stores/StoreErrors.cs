using ImageTools.Oci;

namespace ImageTools.Stores
{
    internal static class StoreErrors
    {
        public static ImageToolsException BlobNotFound(IImageStore store, Digest digest) =>
            new ImageToolsException(ErrorId.BlobNotFound,
                $"Blob {digest} is not in {store.Kind} store {store.Location} (looked for {store.DescribeBlob(digest)}).",
                digest.ToString(), store.Location);

        /// <summary>MalformedContent, or InvalidDigest when what is malformed is a digest (one id per kind of wrong).</summary>
        public static ImageToolsException Malformed(string location, string message, System.Exception? inner = null) =>
            new ImageToolsException(IsInvalidDigest(inner) ? ErrorId.InvalidDigest : ErrorId.MalformedContent, message, location, location, inner);

        /// <summary>True when the exception, or one it wraps, says a digest is malformed.</summary>
        public static bool IsInvalidDigest(System.Exception? e)
        {
            for (; e != null; e = e.InnerException)
                if (e is InvalidDigestException) return true;
            return false;
        }
    }
}
