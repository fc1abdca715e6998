using System;
using System.IO;
using System.Runtime.InteropServices;

namespace ImageTools.Content.Archives
{
    /// <summary>A zlib inflater fed from a file through a pinned input buffer; owns the z_stream, the buffer and the file.</summary>
    internal sealed unsafe class ZLibInflater : IDisposable
    {
        private readonly FileStream _file;
        private readonly byte[] _input = new byte[1 << 16];
        private GCHandle _pin;

        public ZLibInflater(string path, int windowBits, long start)
        {
            _file = ContentFiles.OpenRead(path);
            _pin = GCHandle.Alloc(_input, GCHandleType.Pinned);
            Z = ZLib.NewInflater(windowBits);
            if (start > 0) _file.Seek(start, SeekOrigin.Begin);
        }

        public ZLib.ZStream* Z { get; private set; }

        /// <summary>Reads the next input into the inflater; false at the end of the file.</summary>
        public bool Fill()
        {
            int n = _file.Read(_input, 0, _input.Length);
            Z->NextIn = (byte*)_pin.AddrOfPinnedObject();
            Z->AvailIn = (uint)n;
            return n > 0;
        }

        /// <summary>The byte of the file at <paramref name="offset"/> (the current position is left where it was).</summary>
        public int ByteAt(long offset)
        {
            long here = _file.Position;
            _file.Seek(offset, SeekOrigin.Begin);
            int b = _file.ReadByte();
            _file.Seek(here, SeekOrigin.Begin);
            return b;
        }

        public void Dispose()
        {
            Release();
            _file.Dispose();
            GC.SuppressFinalize(this);
        }

        private void Release()
        {
            if (Z == null) return;
            ZLib.Free(Z);
            Z = null;
            _pin.Free();
        }

        ~ZLibInflater() { Release(); }
    }
}
