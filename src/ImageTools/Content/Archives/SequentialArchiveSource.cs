using System;
using System.IO;

namespace ImageTools.Content.Archives
{
    /// <summary>
    /// A compressed tar without restart points (bzip2, xz, zstd; gzip where libz is missing): a region is read by
    /// decompressing from the start, or on from where the last region read ended when it lies further on, so that
    /// reading blobs in archive order (as the listing pass and a whole-archive check do) is one pass. Memory: one
    /// decoder, no index.
    /// </summary>
    internal sealed class SequentialArchiveSource : IArchiveSource
    {
        private readonly string _path;
        private readonly object _lock = new object();
        private Cursor? _idle;

        public SequentialArchiveSource(string path, ArchiveCodec codec)
        {
            _path = path;
            Codec = codec;
        }

        public ArchiveCodec Codec { get; }
        public long IndexBytes => 0;

        public Stream OpenFirstPass() => CompressedArchiveDecoders.Open(_path, Codec);

        public void CompleteFirstPass(Stream firstPass) => ArchiveSources.Drain(firstPass);

        public Stream OpenRegion(long offset, long length)
        {
            Cursor? cursor;
            lock (_lock)
            {
                cursor = _idle != null && _idle.Position <= offset ? _idle : null;
                if (cursor != null) _idle = null;
            }
            cursor ??= new Cursor(CompressedArchiveDecoders.Open(_path, Codec));
            return new RegionStream(this, cursor, offset, length);
        }

        private void Return(Cursor cursor)
        {
            Cursor? old;
            lock (_lock)
            {
                old = _idle;
                _idle = cursor;
            }
            old?.Decoder.Dispose();
        }

        private sealed class Cursor
        {
            public Cursor(Stream decoder) { Decoder = decoder; }
            public Stream Decoder { get; }
            public long Position;
        }

        private sealed class RegionStream : ReadOnlyStream
        {
            private readonly SequentialArchiveSource _owner;
            private Cursor? _cursor;
            private readonly long _end;
            private long _skip;
            private long _position;
            private bool _failed;

            public RegionStream(SequentialArchiveSource owner, Cursor cursor, long offset, long length)
            {
                _owner = owner;
                _cursor = cursor;
                _skip = offset - cursor.Position;
                _end = length;
            }

            public override long Length => _end;
            public override long Position { get => _position; set => throw new NotSupportedException(); }

            public override int Read(byte[] buffer, int offset, int count)
            {
                var c = _cursor ?? throw new ObjectDisposedException(nameof(RegionStream));
                try
                {
                    if (_skip > 0)
                    {
                        var scratch = new byte[1 << 16];
                        while (_skip > 0)
                        {
                            int got = c.Decoder.Read(scratch, 0, (int)Math.Min(scratch.Length, _skip));
                            if (got == 0) throw new EndOfStreamException();
                            _skip -= got;
                            c.Position += got;
                        }
                    }
                    long left = _end - _position;
                    if (left <= 0 || count == 0) return 0;
                    int n = c.Decoder.Read(buffer, offset, (int)Math.Min(count, left));
                    if (n == 0) throw new EndOfStreamException();
                    _position += n;
                    c.Position += n;
                    return n;
                }
                catch
                {
                    _failed = true;
                    throw;
                }
            }

            protected override void Dispose(bool disposing)
            {
                var c = _cursor;
                _cursor = null;
                if (c != null)
                {
                    if (_failed || _skip > 0) c.Decoder.Dispose();
                    else _owner.Return(c);
                }
                base.Dispose(disposing);
            }
        }
    }
}
