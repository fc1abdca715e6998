using System;
using System.IO;
using System.Runtime.InteropServices;

namespace ImageTools.Content.Archives
{
    /// <summary>
    /// A region of a .tar.gz, inflated from a restart point: raw deflate from the point's byte (primed with the bits
    /// of the byte before and its 32 KiB window), across member boundaries when the file has several members.
    /// </summary>
    internal sealed unsafe class GzipRestartStream : ReadOnlyStream
    {
        private readonly string _path;
        private readonly ZLibInflater _inflater;
        private readonly long _length;
        private readonly ZLib.ZStream* _z;
        private long _totalIn, _totalOut;
        private long _skip, _position;
        private int _trailerLeft;
        private byte[]? _scratch;

        public GzipRestartStream(string path, GzipCheckpoint point, long skip, long length)
        {
            _path = path;
            _skip = skip;
            _length = length;
            _totalOut = point.Out;
            _inflater = new ZLibInflater(path, ZLib.Raw, point.In);
            _z = _inflater.Z;
            if (point.Bits > 0) ZLib.inflatePrime(_z, point.Bits, _inflater.ByteAt(point.In - 1) >> (8 - point.Bits));
            _totalIn = point.In;
            fixed (byte* w = point.Window) ZLib.inflateSetDictionary(_z, w, (uint)point.Window.Length);
        }

        public override long Length => _length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            while (_skip > 0)
            {
                _scratch ??= new byte[1 << 16];
                int got = Inflate(_scratch, 0, (int)Math.Min(_scratch.Length, _skip));
                _skip -= got;
            }
            long left = _length - _position;
            if (left <= 0 || count == 0) return 0;
            int n = Inflate(buffer, offset, (int)Math.Min(count, left));
            _position += n;
            return n;
        }

        /// <summary>Inflates at least one byte (the caller never asks beyond what the listing found).</summary>
        private int Inflate(byte[] buffer, int offset, int count)
        {
            fixed (byte* outp = &buffer[offset])
            {
                while (true)
                {
                    if (_z->AvailIn == 0 && !Fill()) throw ArchiveDamage.Truncated(_path, ArchiveCodec.Gzip, _totalIn, _totalOut);
                    if (_trailerLeft > 0)
                    {
                        SkipTrailer();
                        continue;
                    }
                    _z->NextOut = outp;
                    _z->AvailOut = (uint)count;
                    uint availIn = _z->AvailIn;
                    int ret = ZLib.inflate(_z, ZLib.NoFlush);
                    _totalIn += availIn - _z->AvailIn;
                    int produced = count - (int)_z->AvailOut;
                    _totalOut += produced;
                    if (ret == ZLib.StreamEnd)
                    {
                        // a raw restart ends with the member; its 8-byte trailer follows, then maybe the next member
                        _trailerLeft = 8;
                        ZLib.inflateReset2(_z, ZLib.AutoHeader);
                    }
                    else if (ret != ZLib.Ok && ret != ZLib.BufError)
                        throw ArchiveDamage.Corrupt(_path, ArchiveCodec.Gzip, _totalIn, _totalOut, ZLib.Message(_z, ret));
                    if (produced > 0) return produced;
                }
            }
        }

        private void SkipTrailer()
        {
            int n = (int)Math.Min(_trailerLeft, _z->AvailIn);
            _z->NextIn += n;
            _z->AvailIn -= (uint)n;
            _totalIn += n;
            _trailerLeft -= n;
        }

        private bool Fill() => _inflater.Fill();

        protected override void Dispose(bool disposing)
        {
            if (disposing) _inflater.Dispose();
            base.Dispose(disposing);
        }
    }
}
