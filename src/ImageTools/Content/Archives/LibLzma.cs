using System;
using System.Runtime.InteropServices;

namespace ImageTools.Content.Archives
{
    /// <summary>The system's liblzma (liblzma.so.5, on every Debian and Ubuntu host), declared once, for .tar.xz.</summary>
    internal static unsafe class LibLzma
    {
        private const string Lib = "liblzma.so.5";
        public const int Ok = 0, StreamEnd = 1, BufError = 10;
        public const int Run = 0, Finish = 3;
        public const uint Concatenated = 0x08;

        [StructLayout(LayoutKind.Sequential)]
        public struct LzmaStream
        {
            public byte* NextIn;
            public UIntPtr AvailIn;
            public ulong TotalIn;
            public byte* NextOut;
            public UIntPtr AvailOut;
            public ulong TotalOut;
            public IntPtr Allocator, Internal, Reserved1, Reserved2, Reserved3, Reserved4;
            public ulong ReservedInt1, ReservedInt2;
            public UIntPtr ReservedInt3, ReservedInt4;
            public int ReservedEnum1, ReservedEnum2;
        }

        [DllImport(Lib)] public static extern int lzma_stream_decoder(LzmaStream* strm, ulong memlimit, uint flags);
        [DllImport(Lib)] public static extern int lzma_code(LzmaStream* strm, int action);
        [DllImport(Lib)] public static extern void lzma_end(LzmaStream* strm);

        public static string Describe(int ret) => ret switch
        {
            5 => "out of memory",
            6 => "the memory limit was reached",
            7 => "the file is not in the xz format",
            8 => "unsupported options",
            9 => "the compressed data are corrupt",
            BufError => "the compressed data end early",
            _ => $"liblzma error {ret}",
        };
    }
}
