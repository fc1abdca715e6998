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
    /// the digest is checked even when the tar reader stopped at the end-of-archive blocks. With a DiffID, the
    /// decompressed content is digested in the same pass and checked against it by <see cref="Finish"/>.
    /// </summary>
    internal sealed class LayerSource : IDisposable
    {
        private readonly VerifyingStream _verifying;
        private readonly Stream _plain;
        private readonly DiffIdCheckingStream? _diffId;

        public LayerSource(IImageStore store, Descriptor layer, int index, string? imageName, Digest? diffId = null)
        {
            Location = $"layer {index} ({layer.Digest}) of {imageName ?? "the image"} in {store.Location}";
            _verifying = (VerifyingStream)BlobReader.OpenVerified(store, layer);
            try
            {
                _plain = Decompression.Open(_verifying, Location, out _);
                if (diffId != null) _plain = _diffId = new DiffIdCheckingStream(_plain, diffId, Location);
            }
            catch { _verifying.Dispose(); throw; }
            Reader = new TarReader(_plain, Location);
        }

        public string Location { get; }
        public TarReader Reader { get; }

        /// <summary>Bytes of the blob (as stored) read so far, for progress.</summary>
        public long BlobBytesRead => _verifying.BytesRead;

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

        public void Dispose()
        {
            _plain.Dispose();
            _verifying.Dispose();
        }
    }
}
