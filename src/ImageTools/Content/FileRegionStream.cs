using System;
using System.IO;

namespace ImageTools.Content
{
    /// <summary>A read-only, seekable view of <c>length</c> bytes of a file starting at <c>offset</c>.</summary>
    internal sealed class FileRegionStream : Stream
    {
        private readonly Stream _file;
        private readonly long _offset;
        private readonly long _length;
        private long _position;

        public FileRegionStream(Stream file, long offset, long length)
        {
            _file = file;
            _offset = offset;
            _length = length;
            _file.Seek(offset, SeekOrigin.Begin);
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            long left = _length - _position;
            if (left <= 0) return 0;
            if (_file.Position != _offset + _position) _file.Seek(_offset + _position, SeekOrigin.Begin);
            int n = _file.Read(buffer, offset, (int)Math.Min(count, left));
            _position += n;
            return n;
        }

        public override long Seek(long offset, SeekOrigin origin)
        {
            long target = origin switch
            {
                SeekOrigin.Begin => offset,
                SeekOrigin.Current => _position + offset,
                _ => _length + offset,
            };
            if (target < 0) throw new IOException("Seek before the start of the entry.");
            _position = target;
            return _position;
        }

        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => _length;
        public override long Position { get => _position; set => Seek(value, SeekOrigin.Begin); }
        public override void Flush() { }
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) _file.Dispose();
            base.Dispose(disposing);
        }
    }
}
