using System;
using System.IO;
using System.IO.Compression;

namespace ImageTools.Content
{
    /// <summary>
    /// Gzip decompression by a native inflater fed a MiB of input per call: ISA-L where it is installed
    /// (<see cref="IsaLInflate"/>), else the runtime's zlib-ng (<see cref="RuntimeZLib"/>).
    /// Reads concatenated members as GZipStream does (bytes after a member that are not a gzip header end the stream),
    /// and, unlike it, reports a stream that ends inside a member instead of ending silently.
    /// </summary>
    internal sealed unsafe class GzipInflateStream : ReadOnlyStream
    {
        private const int InputSize = 1 << 20;
        private readonly Stream _compressed;
        private readonly byte[] _input = new byte[InputSize];
        private int _inputStart, _inputEnd;
        private IGzipMemberInflater? _inflater;
        private bool _memberEnded, _finished;

        internal GzipInflateStream(Stream compressed, IGzipMemberInflater inflater)
        {
            _compressed = compressed;
            _inflater = inflater;
        }

        /// <summary>The fastest inflater this host has: ISA-L, the runtime's shim, else GZipStream.</summary>
        public static Stream Open(Stream compressed)
        {
            if (IsaLInflate.Available) return new GzipInflateStream(compressed, new IsaLMemberInflater());
            if (RuntimeZLib.Available) return new GzipInflateStream(compressed, new ZLibMemberInflater());
            return new GZipStream(compressed, CompressionMode.Decompress);
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (buffer == null) throw new ArgumentNullException(nameof(buffer));
            if (offset < 0 || count < 0 || offset + count > buffer.Length) throw new ArgumentOutOfRangeException(nameof(count));
            if (_inflater == null) throw new ObjectDisposedException(nameof(GzipInflateStream));
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
                int produced = _inflater!.Inflate(input + _inputStart, _inputEnd - _inputStart, output + offset, count, out int consumed, out bool ended);
                if (produced == 0 && consumed == 0 && !ended)
                    throw new InvalidDataException("the gzip data is damaged (the inflater stopped without reading or writing)");
                _inputStart += consumed;
                if (ended) _memberEnded = true;
                return produced;
            }
        }

        /// <summary>After a member's end: another member follows only if the next bytes are a gzip header, as GZipStream has it.</summary>
        private bool StartNextMember()
        {
            if (_inputStart == _inputEnd && !FillInput()) return Finish();
            if (_input[_inputStart] != 0x1f) return Finish();
            if (_inputEnd - _inputStart > 1 && _input[_inputStart + 1] != 0x8b) return Finish();
            _inflater!.Restart();
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
            _inflater?.Dispose();
            _inflater = null;
            if (disposing) _compressed.Dispose();
            base.Dispose(disposing);
        }

        ~GzipInflateStream() => Dispose(false);
    }
}
