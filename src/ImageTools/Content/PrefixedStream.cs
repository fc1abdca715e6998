using System;
using System.IO;

namespace ImageTools.Content
{
    /// <summary>Bytes already read from a stream, followed by the rest of that stream.</summary>
    internal sealed class PrefixedStream : Stream
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

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) _rest.Dispose();
            base.Dispose(disposing);
        }
    }
}
