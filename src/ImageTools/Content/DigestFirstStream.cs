using System;
using System.IO;

namespace ImageTools.Content
{
    /// <summary>
    /// The decompressed view of a blob read through a <see cref="VerifyingStream"/>: when decompressing fails, the
    /// rest of the blob is read and its digest checked, and a mismatch is what is reported (a flipped byte in a gzip
    /// layer is DigestMismatch, not CompressedStreamTruncated).
    /// </summary>
    internal sealed class DigestFirstStream : ReadOnlyStream
    {
        private readonly Stream _decompressed;
        private readonly VerifyingStream _blob;

        public DigestFirstStream(Stream decompressed, VerifyingStream blob)
        {
            _decompressed = decompressed;
            _blob = blob;
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            try { return _decompressed.Read(buffer, offset, count); }
            catch (Exception e) when (e is ImageToolsException || e is InvalidDataException || e is EndOfStreamException)
            {
                _blob.ThrowIfMismatched(e);
                throw;
            }
        }

        public override long Position { get => _decompressed.Position; set => throw new NotSupportedException(); }

        protected override void Dispose(bool disposing)
        {
            if (disposing) _decompressed.Dispose();
            base.Dispose(disposing);
        }
    }
}
