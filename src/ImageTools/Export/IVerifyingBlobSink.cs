using System;
using System.IO;
using System.Threading;
using ImageTools.Oci;

namespace ImageTools.Export
{
    /// <summary>
    /// A sink that verifies a blob's digest and size itself while it copies it, in the same pass over each buffer as
    /// the rest of its work (an archive: the archive's own digest), so the saver hands it the store's bytes unverified.
    /// A mismatch throws <see cref="Content.BlobVerificationException"/> before anything is committed.
    /// </summary>
    internal interface IVerifyingBlobSink : IBlobSink
    {
        /// <param name="digest">The digest the bytes must have.</param>
        /// <param name="size">The byte count they must have.</param>
        /// <param name="content">The store's bytes, read to their end.</param>
        /// <param name="location">Where the blob is read from, named in a mismatch.</param>
        /// <param name="cancel">Stops the copy.</param>
        /// <param name="progress">Told the bytes copied so far.</param>
        void AddUnverifiedBlob(Digest digest, long size, Stream content, string location, CancellationToken cancel, Action<long>? progress);
    }
}
