using System.IO;
using ImageTools.Content;
using ImageTools.Oci;

namespace ImageTools.Export.Unpack
{
    /// <summary>
    /// A read-through stream over a layer's decompressed tar that digests what passes (on a thread of its own, while
    /// the reader inflates and writes files); <see cref="Verify"/>, called once the stream was read to its end, fails
    /// with DiffIdMismatch when the content is not the one the config names. The DiffID is checked in the same pass
    /// that unpacks, never by a second read.
    /// </summary>
    internal sealed class DiffIdCheckingStream : ReadOnlyStream
    {
        private readonly Stream _inner;
        private readonly BackgroundDigester _digester;
        private readonly Digest _expected;
        private readonly string _location;

        public DiffIdCheckingStream(Stream inner, Digest expected, string location)
        {
            _inner = inner;
            _expected = expected;
            _location = location;
            _digester = new BackgroundDigester(expected.Algorithm);
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = _inner.Read(buffer, offset, count);
            if (n > 0) _digester.Append(buffer, offset, n);
            return n;
        }

        /// <summary>Checks what was read against the DiffID; call it after reading to the end.</summary>
        public void Verify()
        {
            var actual = Digest.FromBytes(_expected.Algorithm, _digester.Finish());
            if (actual != _expected)
                throw new ImageToolsException(ErrorId.DiffIdMismatch,
                    $"The content of {_location} decompresses to {actual}, but the config's DiffID is {_expected}.", _expected.ToString(), _location);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
                _digester.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
