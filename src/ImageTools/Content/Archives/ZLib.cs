using System;
using System.Runtime.InteropServices;

namespace ImageTools.Content.Archives
{
    /// <summary>
    /// The system's zlib (libz.so.1, on every Debian and Ubuntu host), declared once. The runtime's GZipStream cannot
    /// stop at deflate block boundaries nor be primed with a window, which random access into a .tar.gz needs.
    /// </summary>
    internal static unsafe class ZLib
    {
        private const string Lib = "libz.so.1";
        public const int Ok = 0, StreamEnd = 1, NeedDict = 2, StreamError = -2, DataError = -3, MemError = -4, BufError = -5;
        public const int NoFlush = 0, Block = 5;
        /// <summary>windowBits for inflateInit2: raw deflate, and gzip or zlib header detected automatically.</summary>
        public const int Raw = -15, AutoHeader = 47;
        public const int WindowSize = 32768;

        [StructLayout(LayoutKind.Sequential)]
        public struct ZStream
        {
            public byte* NextIn;
            public uint AvailIn;
            public UIntPtr TotalIn;
            public byte* NextOut;
            public uint AvailOut;
            public UIntPtr TotalOut;
            public IntPtr Msg;
            public IntPtr State;
            public IntPtr ZAlloc, ZFree, Opaque;
            public int DataType;
            public UIntPtr Adler, Reserved;
        }

        [DllImport(Lib)] private static extern int inflateInit2_(ZStream* strm, int windowBits, string version, int streamSize);
        [DllImport(Lib)] public static extern int inflate(ZStream* strm, int flush);
        [DllImport(Lib)] public static extern int inflateEnd(ZStream* strm);
        [DllImport(Lib)] public static extern int inflateReset(ZStream* strm);
        [DllImport(Lib)] public static extern int inflateReset2(ZStream* strm, int windowBits);
        [DllImport(Lib)] public static extern int inflatePrime(ZStream* strm, int bits, int value);
        [DllImport(Lib)] public static extern int inflateSetDictionary(ZStream* strm, byte* dictionary, uint length);
        [DllImport(Lib)] private static extern IntPtr zlibVersion();

        private static readonly Lazy<bool> _available = new Lazy<bool>(() =>
        {
            try { return zlibVersion() != IntPtr.Zero && IntPtr.Size == 8; }
            catch (DllNotFoundException) { return false; }
            catch (EntryPointNotFoundException) { return false; }
        });

        /// <summary>False where libz.so.1 cannot be loaded (then a .tar.gz is read without restart points).</summary>
        public static bool Available => _available.Value;

        /// <summary>A zeroed z_stream in unmanaged memory (it must not move while zlib holds pointers into it).</summary>
        public static ZStream* NewInflater(int windowBits)
        {
            var z = (ZStream*)Marshal.AllocHGlobal(sizeof(ZStream));
            *z = default;
            int ret = inflateInit2_(z, windowBits, "1.2.13", sizeof(ZStream));
            if (ret != Ok)
            {
                Marshal.FreeHGlobal((IntPtr)z);
                throw new InvalidOperationException($"zlib inflateInit2 failed ({ret}).");
            }
            return z;
        }

        public static void Free(ZStream* z)
        {
            if (z == null) return;
            inflateEnd(z);
            Marshal.FreeHGlobal((IntPtr)z);
        }

        public static string Message(ZStream* z, int ret) =>
            z->Msg != IntPtr.Zero ? Marshal.PtrToStringAnsi(z->Msg) ?? ret.ToString() : $"zlib error {ret}";
    }
}
