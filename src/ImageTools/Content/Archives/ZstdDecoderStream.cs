using System;
using System.IO;
using System.Runtime.InteropServices;

namespace ImageTools.Content.Archives
{
    /// <summary>
    /// Decompresses a whole .zst file (several frames included) with the system's libzstd (libzstd.so.1, on Debian and
    /// Ubuntu hosts), several times faster than the managed ZstdSharp on a whole archive. A file that ends inside a
    /// frame is truncated; a decoding error is corruption.
    /// </summary>
    internal sealed unsafe class ZstdDecoderStream : ReadOnlyStream
    {
        private const string Lib = "libzstd.so.1";
        [StructLayout(LayoutKind.Sequential)] private struct Buffer { public byte* Data; public UIntPtr Size; public UIntPtr Pos; }
        [DllImport(Lib)] private static extern IntPtr ZSTD_createDStream();
        [DllImport(Lib)] private static extern UIntPtr ZSTD_freeDStream(IntPtr zds);
        [DllImport(Lib)] private static extern UIntPtr ZSTD_decompressStream(IntPtr zds, Buffer* output, Buffer* input);
        [DllImport(Lib)] private static extern uint ZSTD_isError(UIntPtr code);
        [DllImport(Lib)] private static extern IntPtr ZSTD_getErrorName(UIntPtr code);

        private static readonly Lazy<bool> _available = new Lazy<bool>(() =>
        {
            try
            {
                var d = ZSTD_createDStream();
                if (d == IntPtr.Zero) return false;
                ZSTD_freeDStream(d);
                return true;
            }
            catch (DllNotFoundException) { return false; }
            catch (EntryPointNotFoundException) { return false; }
        });

        public static bool Available => _available.Value;

        private readonly string _path;
        private readonly Stream _file;
        private readonly byte[] _input = new byte[1 << 17];
        private IntPtr _zds;
        private int _inSize, _inPos;
        private long _totalIn, _totalOut;
        private bool _frameOpen, _eof;

        public ZstdDecoderStream(Stream file, string path)
        {
            _file = file;
            _path = path;
            _zds = ZSTD_createDStream();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (count == 0) return 0;
            fixed (byte* outp = &buffer[offset])
            fixed (byte* inp = _input)
            {
                while (true)
                {
                    if (_inPos == _inSize && !_eof)
                    {
                        _inSize = _file.Read(_input, 0, _input.Length);
                        _inPos = 0;
                        _eof = _inSize == 0;
                    }
                    if (_inPos == _inSize && _eof)
                    {
                        if (_frameOpen) throw ArchiveDamage.Truncated(_path, ArchiveCodec.Zstd, _totalIn, _totalOut);
                        return 0;
                    }
                    var output = new Buffer { Data = outp, Size = (UIntPtr)count };
                    var input = new Buffer { Data = inp, Size = (UIntPtr)_inSize, Pos = (UIntPtr)_inPos };
                    var ret = ZSTD_decompressStream(_zds, &output, &input);
                    _totalIn += (long)input.Pos - _inPos;
                    _inPos = (int)input.Pos;
                    int produced = (int)output.Pos;
                    _totalOut += produced;
                    if (ZSTD_isError(ret) != 0)
                        throw ArchiveDamage.Corrupt(_path, ArchiveCodec.Zstd, _totalIn, _totalOut, Marshal.PtrToStringAnsi(ZSTD_getErrorName(ret)) ?? "zstd error");
                    _frameOpen = ret != UIntPtr.Zero;
                    if (produced > 0) return produced;
                }
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (_zds != IntPtr.Zero)
            {
                ZSTD_freeDStream(_zds);
                _zds = IntPtr.Zero;
            }
            if (disposing) _file.Dispose();
            base.Dispose(disposing);
        }

        ~ZstdDecoderStream() { Dispose(false); }
    }
}
