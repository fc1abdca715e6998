using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;

namespace ImageTools.Content.Archives
{
    /// <summary>
    /// Inflates a whole gzip file (one member or several, trailing zero bytes allowed as gzip allows them) and records
    /// restart points at deflate block boundaries as it goes. Output is produced into a circular 32 KiB window, so the
    /// window of a point is at hand without another copy. A file that ends early, a damaged stream or a bad CRC is an
    /// error naming the byte of the file.
    /// </summary>
    internal sealed unsafe class GzipIndexingStream : ReadOnlyStream
    {
        private readonly string _path;
        private readonly long _span;
        private readonly ZLibInflater _inflater;
        private readonly byte[] _windowBuffer = new byte[ZLib.WindowSize];
        private GCHandle _windowPin;
        private readonly byte* _window;
        private readonly ZLib.ZStream* _z;
        private long _totalIn, _totalOut, _lastPoint = -1;
        private int _pendingAt, _pending;
        private bool _memberEnded, _ended;

        public GzipIndexingStream(string path, long span)
        {
            _path = path;
            _span = span;
            _inflater = new ZLibInflater(path, ZLib.AutoHeader, 0);
            _z = _inflater.Z;
            _windowPin = GCHandle.Alloc(_windowBuffer, GCHandleType.Pinned);
            _window = (byte*)_windowPin.AddrOfPinnedObject();
        }

        public List<GzipCheckpoint> Points { get; } = new List<GzipCheckpoint>();

        public override long Position { get => _totalOut - _pending; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (count == 0) return 0;
            while (_pending == 0)
            {
                if (_ended) return 0;
                Step();
            }
            int n = Math.Min(count, _pending);
            Buffer.BlockCopy(_windowBuffer, _pendingAt, buffer, offset, n);
            _pendingAt += n;
            _pending -= n;
            return n;
        }

        private void Step()
        {
            if (_z->AvailIn == 0 && !Fill())
            {
                if (_memberEnded) { _ended = true; return; }
                throw ArchiveDamage.Truncated(_path, ArchiveCodec.Gzip, _totalIn, _totalOut);
            }
            if (_memberEnded)
            {
                StartNextMember();
                return;
            }
            if (_z->AvailOut == 0)
            {
                _z->NextOut = _window;
                _z->AvailOut = ZLib.WindowSize;
            }
            byte* before = _z->NextOut;
            uint availIn = _z->AvailIn, availOut = _z->AvailOut;
            int ret = ZLib.inflate(_z, ZLib.Block);
            _totalIn += availIn - _z->AvailIn;
            _totalOut += availOut - _z->AvailOut;
            _pendingAt = (int)(before - _window);
            _pending = (int)(availOut - _z->AvailOut);
            switch (ret)
            {
                case ZLib.Ok:
                case ZLib.BufError:
                    break;
                case ZLib.StreamEnd:
                    _memberEnded = true;
                    return;
                default:
                    throw ArchiveDamage.Corrupt(_path, ArchiveCodec.Gzip, _totalIn, _totalOut, ZLib.Message(_z, ret));
            }
            bool atBoundary = (_z->DataType & 128) != 0 && (_z->DataType & 64) == 0;
            if (atBoundary && (_lastPoint < 0 || _totalOut - _lastPoint >= _span)) AddPoint();
        }

        /// <summary>After a member's trailer: another member (concatenated gzip) or zero padding to the end of the file.</summary>
        private void StartNextMember()
        {
            if (_z->NextIn[0] == 0x1F)
            {
                ZLib.inflateReset(_z);
                _memberEnded = false;
                return;
            }
            while (true)
            {
                for (uint i = 0; i < _z->AvailIn; i++)
                    if (_z->NextIn[i] != 0)
                        throw ArchiveDamage.Corrupt(_path, ArchiveCodec.Gzip, _totalIn + i, _totalOut, "bytes that are not gzip follow the compressed data");
                _totalIn += _z->AvailIn;
                _z->AvailIn = 0;
                if (!Fill()) { _ended = true; return; }
            }
        }

        private void AddPoint()
        {
            var window = new byte[ZLib.WindowSize];
            int left = (int)_z->AvailOut;
            if (left > 0) Buffer.BlockCopy(_windowBuffer, ZLib.WindowSize - left, window, 0, left);
            if (left < ZLib.WindowSize) Buffer.BlockCopy(_windowBuffer, 0, window, left, ZLib.WindowSize - left);
            Points.Add(new GzipCheckpoint(_totalIn, _z->DataType & 7, _totalOut, window));
            _lastPoint = _totalOut;
        }

        private bool Fill() => _inflater.Fill();

        protected override void Dispose(bool disposing)
        {
            if (disposing && _windowPin.IsAllocated)
            {
                _inflater.Dispose();
                _windowPin.Free();
            }
            base.Dispose(disposing);
        }
    }
}
