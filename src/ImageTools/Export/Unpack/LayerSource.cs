using System;
using System.IO;
using ImageTools.Content;
using ImageTools.Oci;
using ImageTools.Stores;

namespace ImageTools.Export.Unpack
{
    /// <summary>
    /// One layer blob opened for reading as a tar: digest and size verified as it streams, decompressed whatever
    /// the compression (gzip, zstd, none). <see cref="Finish"/> reads what follows the end of the archive so that
    /// the digest is checked even when the tar reader stopped at the end-of-archive blocks. When reading the tar
    /// fails, a blob whose bytes are wrong is reported as DigestMismatch (or SizeMismatch), not as the damage it causes.
    /// With a DiffID, the decompressed content is digested in the same pass and checked against it by <see cref="Finish"/>.
    /// </summary>
    internal sealed class LayerSource : IDisposable
    {
        /// <summary>Layers up to this size are verified in memory and read from there; larger ones are read twice.</summary>
        private const long InMemoryLimit = 16L << 20;

        private readonly VerifyingStream _verifying;
        private readonly Stream _plain;
        private readonly DiffIdCheckingStream? _diffId;

        /// <summary>
        /// Opens the layer. With <paramref name="verifyFirst"/> the whole blob is verified before anything of it is read
        /// as a tar, for readers that emit what they read (a listing must not show entries of a blob that turns out
        /// not to be the layer).
        /// </summary>
        /// <remarks>With <paramref name="readAhead"/> the layer is decompressed on a thread of its own while the caller parses the tar (listings).</remarks>
        public LayerSource(IImageStore store, Descriptor layer, int index, string? imageName, Digest? diffId = null, bool verifyFirst = false, bool readAhead = false)
        {
            Location = $"layer {index} ({layer.Digest}) of {imageName ?? "the image"} in {store.Location}";
            _verifying = verifyFirst ? OpenVerifiedFirst(store, layer) : BlobReader.OpenVerified(store, layer);
            try
            {
                _plain = Decompression.Open(_verifying, Location, out _);
                if (diffId != null) _plain = _diffId = new DiffIdCheckingStream(_plain, diffId, Location);
                if (readAhead) _plain = new ReadAheadStream(_plain);
            }
            catch { _verifying.Dispose(); throw; }
            Reader = new TarReader(_plain, Location);
        }

        public string Location { get; }
        public TarReader Reader { get; }

        /// <summary>Bytes of the blob (as stored) read so far, for progress.</summary>
        public long BlobBytesRead => _verifying.BytesRead;

        /// <summary>The next entry of the tar; a damaged tar inside a blob whose bytes are wrong is DigestMismatch.</summary>
        public TarEntry? Next()
        {
            try { return Reader.Next(); }
            catch (ImageToolsException e)
            {
                _verifying.ThrowIfMismatched(e);
                throw;
            }
        }

        /// <summary>Reads to the end of the blob (verifying its digest, and its DiffID when given) and reports a tar that ended without its end blocks.</summary>
        public void Finish(Action<string> warn)
        {
            var buffer = new byte[81920];
            while (_plain.Read(buffer, 0, buffer.Length) > 0) { }
            _verifying.ReadToEndAndVerify();
            _diffId?.Verify();
            if (Reader.MissingEndOfArchive || Reader.MissingPadding)
                warn($"The tar of {Location} ends without its end-of-archive blocks{(Reader.MissingPadding ? " and without the padding of its last entry" : "")} (as umoci 0.4.7 'insert' writes them); every entry it has was read.");
        }

        /// <summary>
        /// Verifies the whole blob, then opens it again for reading (still verified, should it change in between).
        /// A small blob is read once, into memory.
        /// </summary>
        private static VerifyingStream OpenVerifiedFirst(IImageStore store, Descriptor layer)
        {
            string location = store.DescribeBlob(layer.Digest);
            if (layer.Size <= InMemoryLimit)
            {
                var bytes = BlobReader.ReadVerified(store, layer, InMemoryLimit);
                return new VerifyingStream(new MemoryStream(bytes, false), layer.Digest, layer.Size, location);
            }
            using (var first = BlobReader.OpenVerified(store, layer, hashInBackground: true))
                first.ReadToEndAndVerify();
            return BlobReader.OpenVerified(store, layer, hashInBackground: true);
        }

        public void Dispose()
        {
            _plain.Dispose();
            _verifying.Dispose();
        }
    }
}
