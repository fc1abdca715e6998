using System.IO;
using ImageTools.Oci;

namespace ImageTools.Stores
{
    /// <summary>
    /// A store that checks its blobs with checks of its own as it reads them (a Docker data root: the CRC-64 of every
    /// file a layer's tar-split names). A reader that verifies each blob's whole digest anyway can open blobs without
    /// them, which saves a pass over every byte, and run them only when a digest does not match, to name what changed.
    /// </summary>
    internal interface IBlobsWithOwnChecks
    {
        /// <summary>The blob without the store's own checks: only for a reader that verifies its digest.</summary>
        Stream OpenBlobForDigestCheck(Digest digest);

        /// <summary>
        /// After the blob did not match its digest: reads it again with the store's own checks and throws the error
        /// they raise (naming what changed); returns when they find nothing, for the caller to throw its own.
        /// </summary>
        void ExplainMismatch(Digest digest);
    }
}
