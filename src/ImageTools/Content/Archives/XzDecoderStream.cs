using System;
using System.IO;
using System.Runtime.InteropServices;

namespace ImageTools.Content.Archives
{
    /// <summary>Decompresses a whole .xz file (concatenated streams included) with liblzma, checking its integrity to the end.</summary>
    internal sealed unsafe class XzDecoderStream : ReadOnlyStream
    {
        private readonly string _path;
        private readonly Stream _file;
        private readonly byte[] _inBuffer = new byte[1 << 16];
        private GCHandle _inHandle;
        private LibLzma.LzmaStream* _s;
        private bool _eof, _ended;

        public XzDecoderStream(Stream file, string path)
        {
            _path = path;
            _file = file;
            _inHandle = GCHandle.Alloc(_inBuffer, GCHandleType.Pinned);
            _s = (LibLzma.LzmaStream*)Marshal.AllocHGlobal(sizeof(LibLzma.LzmaStream));
            *_s = default;
            int ret = LibLzma.lzma_stream_decoder(_s, ulong.MaxValue, LibLzma.Concatenated);
            if (ret != LibLzma.Ok) throw ArchiveDamage.Corrupt(_path, ArchiveCodec.Xz, 0, 0, LibLzma.Describe(ret));
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_ended || count == 0) return 0;
            fixed (byte* outp = &buffer[offset])
            {
                _s->NextOut = outp;
                _s->AvailOut = (UIntPtr)count;
                while (true)
                {
                    if (_s->AvailIn == UIntPtr.Zero && !_eof)
                    {
                        int n = _file.Read(_inBuffer, 0, _inBuffer.Length);
                        _s->NextIn = (byte*)_inHandle.AddrOfPinnedObject();
                        _s->AvailIn = (UIntPtr)n;
                        _eof = n == 0;
                    }
                    int ret = LibLzma.lzma_code(_s, _eof ? LibLzma.Finish : LibLzma.Run);
                    int produced = count - (int)_s->AvailOut;
                    if (ret == LibLzma.StreamEnd) { _ended = true; return produced; }
                    if (ret == LibLzma.BufError && _eof)
                        throw ArchiveDamage.Truncated(_path, ArchiveCodec.Xz, (long)_s->TotalIn, (long)_s->TotalOut - produced);
                    if (ret != LibLzma.Ok && ret != LibLzma.BufError)
                        throw ArchiveDamage.Corrupt(_path, ArchiveCodec.Xz, (long)_s->TotalIn, (long)_s->TotalOut, LibLzma.Describe(ret));
                    if (produced > 0) return produced;
                }
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (_s != null)
            {
                LibLzma.lzma_end(_s);
                Marshal.FreeHGlobal((IntPtr)_s);
                _s = null;
                _inHandle.Free();
            }
            if (disposing) _file.Dispose();
            base.Dispose(disposing);
        }

        ~XzDecoderStream() { Dispose(false); }
    }
}
