using System;
using System.IO;
using System.IO.Compression;
using System.Runtime.InteropServices;

namespace ImageTools.Content
{
    /// <summary>
    /// Intel's ISA-L inflater (libisal.so.2, Debian's libisal2), used for gzip layers where it is installed: on this
    /// project's 2-core VM it inflated the benchmark's 1 GiB layer in about 15% less time than the runtime's zlib-ng
    /// (no faster on some data, never slower in what was measured), and a DiffID is bound by inflating. Where it is
    /// missing, or its check below fails, <see cref="RuntimeZLib"/> does the work.
    /// Setting IMAGETOOLS_INFLATER=zlib turns it off.
    /// </summary>
    /// <remarks>
    /// ISA-L has the caller allocate its <c>struct inflate_state</c> and set fields in it, so the offsets below are
    /// those of ISA-L 2.x (2.30 on Debian 12). They are not trusted blindly: <see cref="Available"/> first inflates
    /// a gzip member made here and one with a wrong CRC, and uses ISA-L only if both come out as they must.
    /// </remarks>
    internal static unsafe class IsaLInflate
    {
        private const string Lib = "libisal.so.2";
        // sizeof(struct inflate_state) is 87,368 in 2.30; the rest is room for a later version's growth.
        private const int StateAllocation = 256 << 10;
        private const int NextOutOffset = 0, AvailOutOffset = 8, NextInOffset = 16, AvailInOffset = 32;
        private const int BlockStateOffset = 21160, CrcFlagOffset = 21172;
        private const int BlockFinish = 5;   // ISAL_BLOCK_FINISH: the trailer was read and checked
        private const int CrcFlagGzip = 1;   // ISAL_GZIP: parse the gzip header, check CRC-32 and ISIZE
        private const int IncorrectChecksum = -6;

        [DllImport(Lib)] private static extern void isal_inflate_init(byte* state);
        [DllImport(Lib)] private static extern int isal_inflate(byte* state);

        private static readonly Lazy<bool> _available = new Lazy<bool>(() =>
        {
            if (IntPtr.Size != 8 || Environment.GetEnvironmentVariable("IMAGETOOLS_INFLATER") == "zlib") return false;
            try { return SelfTest(); }
            catch (DllNotFoundException) { return false; }
            catch (EntryPointNotFoundException) { return false; }
            catch (BadImageFormatException) { return false; }
        });

        /// <summary>True where libisal.so.2 loads and inflates as this class expects.</summary>
        public static bool Available => _available.Value;

        /// <summary>A state in unmanaged memory, ready for a gzip member.</summary>
        public static byte* NewState()
        {
            var state = (byte*)Marshal.AllocHGlobal(StateAllocation);
            new Span<byte>(state, StateAllocation).Clear();
            Start(state);
            return state;
        }

        public static void Start(byte* state)
        {
            isal_inflate_init(state);
            *(uint*)(state + CrcFlagOffset) = CrcFlagGzip;
        }

        public static void Free(byte* state)
        {
            if (state != null) Marshal.FreeHGlobal((IntPtr)state);
        }

        /// <summary>One call of isal_inflate over these buffers; returns its code (negative: damaged data).</summary>
        public static int Inflate(byte* state, byte* input, int inputCount, byte* output, int outputCount, out int consumed, out int produced)
        {
            *(byte**)(state + NextInOffset) = input;
            *(uint*)(state + AvailInOffset) = (uint)inputCount;
            *(byte**)(state + NextOutOffset) = output;
            *(uint*)(state + AvailOutOffset) = (uint)outputCount;
            int ret = isal_inflate(state);
            consumed = inputCount - (int)*(uint*)(state + AvailInOffset);
            produced = outputCount - (int)*(uint*)(state + AvailOutOffset);
            *(byte**)(state + NextInOffset) = null;
            *(byte**)(state + NextOutOffset) = null;
            return ret;
        }

        public static bool Finished(byte* state) => *(int*)(state + BlockStateOffset) == BlockFinish;

        public static string Message(int ret) => ret switch
        {
            -1 => "invalid deflate block",
            -2 => "invalid deflate symbol",
            -3 => "invalid distance too far back",
            -4 => "invalid gzip header",
            -5 => "unknown compression method",
            IncorrectChecksum => "incorrect data check",
            _ => $"ISA-L error {ret}",
        };

        /// <summary>
        /// Inflates a member made here by the runtime's gzip, then the same member with a wrong CRC: the first must
        /// come out whole with the state finished, the second must be refused as a checksum error. Either failing
        /// means the offsets are not this library's.
        /// </summary>
        private static bool SelfTest()
        {
            var plain = new byte[20000];
            for (int i = 0; i < plain.Length; i++) plain[i] = (byte)("ImageTools checks ISA-L "[i % 24] + i / 997);
            byte[] member;
            using (var packed = new MemoryStream())
            {
                using (var gzip = new GZipStream(packed, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(plain, 0, plain.Length);
                member = packed.ToArray();
            }
            if (!InflatesTo(member, plain, out int ret) || ret != 0) return false;
            member[member.Length - 8] ^= 0xff; // the CRC-32's first byte
            return !InflatesTo(member, plain, out ret) && ret == IncorrectChecksum;
        }

        private static bool InflatesTo(byte[] member, byte[] plain, out int ret)
        {
            var output = new byte[plain.Length + 64];
            byte* state = NewState();
            try
            {
                fixed (byte* input = member)
                fixed (byte* outputStart = output)
                {
                    ret = Inflate(state, input, member.Length, outputStart, output.Length, out int consumed, out int produced);
                    return ret == 0 && Finished(state) && consumed == member.Length && produced == plain.Length
                        && output.AsSpan(0, produced).SequenceEqual(plain);
                }
            }
            finally { Free(state); }
        }
    }
}
