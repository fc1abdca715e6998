using System;
using System.IO;
using System.IO.Compression;

namespace ImageTools.Content
{
    /// <summary>
    /// Gzip decompression with the runtime's inflater fed a MiB of input per call (see <see cref="RuntimeZLib"/>).
    /// Reads concatenated members as GZipStream does (bytes after a member that are not a gzip header end the stream),
    /// and, unlike it, reports a stream that ends inside a member instead of ending silently.
    /// </summary>
    internal sealed unsafe class GzipInflateStream : ReadOnlyStream
    {
        private const int InputSize = 1 << 20;
        private readonly Stream _compressed;
        private readonly byte[] _input = new byte[InputSize];
        private int _inputStart, _inputEnd;
        private RuntimeZLib.ZStream* _z;
        private bool _memberEnded, _finished;

        private GzipInflateStream(Stream compressed)
        {
            _compressed = compressed;
            _z = RuntimeZLib.NewInflater();
        }

        /// <summary>The fast inflater where the runtime's shim is there, else GZipStream.</summary>
        public static Stream Open(Stream compressed) =>
            RuntimeZLib.Available ? new GzipInflateStream(compressed) : new GZipStream(compressed, CompressionMode.Decompress);

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (buffer == null) throw new ArgumentNullException(nameof(buffer));
            if (offset < 0 || count < 0 || offset + count > buffer.Length) throw new ArgumentOutOfRangeException(nameof(count));
            if (_z == null) throw new ObjectDisposedException(nameof(GzipInflateStream));
            if (count == 0 || _finished) return 0;
            while (true)
            {
                if (_memberEnded && !StartNextMember()) return 0;
                if (_inputStart == _inputEnd && !FillInput())
                    throw new EndOfStreamException("the compressed data ends inside a gzip member (the file is cut short)");
                int produced = Inflate(buffer, offset, count);
                if (produced > 0) return produced;
            }
        }

        private int Inflate(byte[] buffer, int offset, int count)
        {
            fixed (byte* input = _input)
            fixed (byte* output = buffer)
            {
                _z->NextIn = input + _inputStart;
                _z->AvailIn = (uint)(_inputEnd - _inputStart);
                _z->NextOut = output + offset;
                _z->AvailOut = (uint)count;
                int ret = RuntimeZLib.CompressionNative_Inflate(_z, RuntimeZLib.NoFlush);
                _inputStart = _inputEnd - (int)_z->AvailIn;
                int produced = count - (int)_z->AvailOut;
                _z->NextIn = _z->NextOut = null;
                if (ret == RuntimeZLib.StreamEnd) _memberEnded = true;
                else if (ret != RuntimeZLib.Ok && ret != RuntimeZLib.BufError)
                    throw new InvalidDataException($"the gzip data is damaged ({RuntimeZLib.Message(_z, ret)})");
                return produced;
            }
        }

        /// <summary>After a member's end: another member follows only if the next bytes are a gzip header, as GZipStream has it.</summary>
        private bool StartNextMember()
        {
            if (_inputStart == _inputEnd && !FillInput()) return Finish();
            if (_input[_inputStart] != 0x1f) return Finish();
            if (_inputEnd - _inputStart > 1 && _input[_inputStart + 1] != 0x8b) return Finish();
            RuntimeZLib.Free(_z);
            _z = null;
            _z = RuntimeZLib.NewInflater();
            _memberEnded = false;
            return true;
        }

        private bool Finish()
        {
            _finished = true;
            return false;
        }

        private bool FillInput()
        {
            _inputStart = 0;
            _inputEnd = _compressed.Read(_input, 0, _input.Length);
            return _inputEnd > 0;
        }

        protected override void Dispose(bool disposing)
        {
            if (_z != null)
            {
                RuntimeZLib.Free(_z);
                _z = null;
            }
            if (disposing) _compressed.Dispose();
            base.Dispose(disposing);
        }

        ~GzipInflateStream() => Dispose(false);
    }
}
