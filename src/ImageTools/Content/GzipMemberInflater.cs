using System;

namespace ImageTools.Content
{
    /// <summary>
    /// One gzip member at a time, decoded by a native inflater that checks the member's trailer (CRC-32 and size)
    /// itself. <see cref="GzipInflateStream"/> feeds it and chains the members.
    /// </summary>
    internal unsafe interface IGzipMemberInflater : IDisposable
    {
        /// <summary>
        /// Inflates from <paramref name="input"/> into <paramref name="output"/>; returns the bytes written.
        /// <paramref name="memberEnded"/> is set once the member's trailer has been read and found right.
        /// Damaged data throws InvalidDataException.
        /// </summary>
        int Inflate(byte* input, int inputCount, byte* output, int outputCount, out int consumed, out bool memberEnded);

        /// <summary>Gets ready for the next member.</summary>
        void Restart();
    }

    /// <summary>The runtime's zlib-ng (<see cref="RuntimeZLib"/>), with its gzip wrapper.</summary>
    internal sealed unsafe class ZLibMemberInflater : IGzipMemberInflater
    {
        private RuntimeZLib.ZStream* _z = RuntimeZLib.NewInflater();

        public int Inflate(byte* input, int inputCount, byte* output, int outputCount, out int consumed, out bool memberEnded)
        {
            _z->NextIn = input;
            _z->AvailIn = (uint)inputCount;
            _z->NextOut = output;
            _z->AvailOut = (uint)outputCount;
            int ret = RuntimeZLib.CompressionNative_Inflate(_z, RuntimeZLib.NoFlush);
            consumed = inputCount - (int)_z->AvailIn;
            int produced = outputCount - (int)_z->AvailOut;
            _z->NextIn = _z->NextOut = null;
            memberEnded = ret == RuntimeZLib.StreamEnd;
            if (!memberEnded && ret != RuntimeZLib.Ok && ret != RuntimeZLib.BufError)
                throw new System.IO.InvalidDataException($"the gzip data is damaged ({RuntimeZLib.Message(_z, ret)})");
            return produced;
        }

        public void Restart()
        {
            RuntimeZLib.Free(_z);
            _z = null;
            _z = RuntimeZLib.NewInflater();
        }

        public void Dispose()
        {
            RuntimeZLib.Free(_z);
            _z = null;
        }
    }

    /// <summary>ISA-L's inflater (<see cref="IsaLInflate"/>), with its gzip wrapper.</summary>
    internal sealed unsafe class IsaLMemberInflater : IGzipMemberInflater
    {
        private byte* _state = IsaLInflate.NewState();

        public int Inflate(byte* input, int inputCount, byte* output, int outputCount, out int consumed, out bool memberEnded)
        {
            int ret = IsaLInflate.Inflate(_state, input, inputCount, output, outputCount, out consumed, out int produced);
            if (ret < 0) throw new System.IO.InvalidDataException($"the gzip data is damaged ({IsaLInflate.Message(ret)})");
            memberEnded = IsaLInflate.Finished(_state);
            return produced;
        }

        public void Restart() => IsaLInflate.Start(_state);

        public void Dispose()
        {
            IsaLInflate.Free(_state);
            _state = null;
        }
    }
}
