using System;
using System.IO;

namespace ImageTools.Content
{
    /// <summary>Bytes already read from a stream, followed by the rest of that stream.</summary>
    internal sealed class PrefixedStream : ReadOnlyStream
    {
        private readonly byte[] _prefix;
        private readonly int _prefixLength;
        private readonly Stream _rest;
        private int _prefixPosition;
        private long _position;

        public PrefixedStream(byte[] prefix, int prefixLength, Stream rest)
        {
            _prefix = prefix;
            _prefixLength = prefixLength;
            _rest = rest;
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n;
            if (_prefixPosition < _prefixLength)
            {
                n = Math.Min(count, _prefixLength - _prefixPosition);
                Buffer.BlockCopy(_prefix, _prefixPosition, buffer, offset, n);
                _prefixPosition += n;
            }
            else
            {
                n = _rest.Read(buffer, offset, count);
            }
            _position += n;
            return n;
        }
        public override long Position { get => _position; set => throw new System.NotSupportedException(); }

        protected override void Dispose(bool disposing)
        {
            if (disposing) _rest.Dispose();
            base.Dispose(disposing);
        }
    }
}
