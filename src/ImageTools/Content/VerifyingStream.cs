using System;
using System.IO;
using System.Security.Cryptography;
using ImageTools.Oci;

namespace ImageTools.Content
{
    /// <summary>
    /// A read-through stream that digests and counts what passes, and fails when the content does not match
    /// the expected digest and size: with SizeMismatch as soon as more bytes arrive than expected, and with
    /// DigestMismatch or SizeMismatch at the end of the stream.
    /// </summary>
    public sealed class VerifyingStream : ReadOnlyStream
    {
        private readonly Stream _inner;
        private readonly IncrementalHash? _hash;
        private readonly BackgroundDigester? _background;
        private readonly Digest _expected;
        private readonly long _expectedSize;
        private readonly string _location;
        private long _count;
        private bool _verified;

        /// <param name="inner">The stream to read through; disposed with this one.</param>
        /// <param name="expected">The digest the content must have.</param>
        /// <param name="expectedSize">-1 when unknown.</param>
        /// <param name="location">Where the blob is, for error messages.</param>
        /// <param name="hashInBackground">Hash on a thread of its own (<see cref="BackgroundDigester"/>), for readers
        /// that do heavy work of their own on what they read.</param>
        public VerifyingStream(Stream inner, Digest expected, long expectedSize, string location, bool hashInBackground = false)
        {
            _inner = inner;
            _expected = expected;
            _expectedSize = expectedSize;
            _location = location;
            if (hashInBackground) _background = new BackgroundDigester(expected.Algorithm);
            else _hash = DigestAlgorithms.Create(expected.Algorithm);
        }

        public long BytesRead => _count;

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = _inner.Read(buffer, offset, count);
            if (n > 0)
            {
                if (_background != null) _background.Append(buffer, offset, n);
                else _hash!.AppendData(buffer, offset, n);
                _count += n;
                if (_expectedSize >= 0 && _count > _expectedSize)
                    throw SizeMismatch();
            }
            else if (!_verified && count > 0)
            {
                Verify();
            }
            return n;
        }

        /// <summary>Reads whatever is left and verifies; for consumers that stop before the end (a tar reader at the EOF blocks).</summary>
        public void ReadToEndAndVerify()
        {
            var buffer = new byte[81920];
            while (Read(buffer, 0, buffer.Length) > 0) { }
        }

        /// <summary>
        /// Called when reading what this stream feeds failed (a decompressor, a tar reader): reads what is left of the
        /// blob and throws its DigestMismatch or SizeMismatch when its bytes are wrong, and returns when they are right
        /// (the caller then throws its own error). Damaged bytes are first of all bytes that are not the blob's.
        /// </summary>
        public void ThrowIfMismatched(Exception failure)
        {
            if (failure is BlobVerificationException) return;
            try { ReadToEndAndVerify(); }
            catch (Exception e) when (!(e is BlobVerificationException) && (e is IOException || e is ImageToolsException)) { }
        }

        private void Verify()
        {
            _verified = true;
            if (_expectedSize >= 0 && _count != _expectedSize) throw SizeMismatch();
            var actual = Digest.FromBytes(_expected.Algorithm, _background != null ? _background.Finish() : _hash!.GetHashAndReset());
            if (actual != _expected)
                throw new BlobVerificationException(ErrorId.DigestMismatch,
                    $"Blob {_expected} at {_location} does not match its digest: its content hashes to {actual}.",
                    _expected, _location, actual, _count);
        }

        private BlobVerificationException SizeMismatch() =>
            new BlobVerificationException(ErrorId.SizeMismatch,
                $"Blob {_expected} at {_location} has {(_count > _expectedSize ? "more than " : "")}{_count} bytes; its descriptor says {_expectedSize}.",
                _expected, _location, null, _count);
        public override long Position { get => _count; set => throw new System.NotSupportedException(); }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
                _hash?.Dispose();
                _background?.Dispose();
            }
            base.Dispose(disposing);
        }
    }

    /// <summary>A blob whose bytes do not match its descriptor.</summary>
    public sealed class BlobVerificationException : ImageToolsException
    {
        public Digest Expected { get; }
        public Digest? Actual { get; }
        public long ActualSize { get; }

        public BlobVerificationException(ErrorId id, string message, Digest expected, string location, Digest? actual, long actualSize)
            : base(id, message, expected.ToString(), location)
        {
            Expected = expected;
            Actual = actual;
            ActualSize = actualSize;
        }
    }
}
