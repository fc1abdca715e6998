using System;
using System.IO;

namespace ImageTools.Content
{
    /// <summary>Opens the file a tar-split file record names, from wherever the unpacked layer is.</summary>
    public interface ITarSplitFileSource
    {
        /// <summary>Opens <paramref name="cleanName"/> (already cleaned: relative, no '..') for reading.</summary>
        /// <exception cref="ImageToolsException">The file is missing, not a regular file, or reached through a symlink.</exception>
        Stream Open(string cleanName);

        /// <summary>Where the file is, for messages.</summary>
        string Describe(string cleanName);
    }

    /// <summary>
    /// Reassembles a layer tar from a tar-split stream and the unpacked files, as tar-split's
    /// <c>asm.WriteOutputTarStream</c> does: segments are copied verbatim, file bodies are read from the source
    /// and checked against the recorded size and CRC-64/ISO. The result is byte-identical to the original layer
    /// tar, so its sha256 is the DiffID. Streams: memory stays flat whatever the layer size. A reader that checks the
    /// DiffID anyway may leave the CRC-64 out (a pass over every byte); sizes are always checked.
    /// </summary>
    public sealed class TarSplitReplayStream : ReadOnlyStream
    {
        private readonly TarSplitReader _reader;
        private readonly ITarSplitFileSource _files;
        private readonly Crc64Iso _crc = new Crc64Iso();
        private readonly bool _checkCrc;
        private readonly byte[] _probe = new byte[1];
        private byte[] _segment = Array.Empty<byte>();
        private int _segmentPos;
        private Stream? _file;
        private TarSplitEntry? _fileEntry;
        private string _fileName = "";
        private long _fileRemaining;
        private long _position;
        private bool _done;

        public TarSplitReplayStream(TarSplitReader reader, ITarSplitFileSource files, bool checkCrc = true)
        {
            _reader = reader;
            _files = files;
            _checkCrc = checkCrc;
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (count == 0) return 0;
            while (!_done)
            {
                if (_segmentPos < _segment.Length)
                {
                    int n = Math.Min(count, _segment.Length - _segmentPos);
                    Buffer.BlockCopy(_segment, _segmentPos, buffer, offset, n);
                    _segmentPos += n;
                    _position += n;
                    return n;
                }
                if (_file != null)
                {
                    int want = (int)Math.Min(count, _fileRemaining);
                    int n = want == 0 ? 0 : _file.Read(buffer, offset, want);
                    if (n > 0)
                    {
                        if (_checkCrc) _crc.Append(buffer, offset, n);
                        _fileRemaining -= n;
                        _position += n;
                        if (_fileRemaining == 0) FinishFile();
                        return n;
                    }
                    if (_fileRemaining > 0)
                        throw Changed($"is {_fileEntry!.Size - _fileRemaining} bytes long, the layer recorded {_fileEntry.Size}");
                    FinishFile();
                    continue;
                }
                NextEntry();
            }
            return 0;
        }

        private void NextEntry()
        {
            var e = _reader.Next();
            if (e == null) { _done = true; return; }
            if (e.Type == TarSplitEntryType.Segment)
            {
                _segment = e.Payload;
                _segmentPos = 0;
                return;
            }
            if (e.Size == 0) return; // hardlinks, whiteouts, empty files: nothing to read
            if (e.Name == null)
                throw new ImageToolsException(ErrorId.MalformedContent,
                    $"The layer names a file whose path is not UTF-8 (raw bytes {Oci.Hex.Encode(e.NameRaw!)}); ImageTools cannot open it.", null, _files.Describe(""));
            string? clean = EntryPath.Clean(e.Name, out var reason);
            if (clean == null || clean.Length == 0)
                throw new ImageToolsException(ErrorId.UnsafeEntryPath, $"The tar-split file record '{e.Name}' is refused: {reason ?? "it names the layer root"}.", e.Name, _files.Describe(""));
            _fileName = clean;
            _fileEntry = e;
            _fileRemaining = e.Size;
            _crc.Reset();
            _file = _files.Open(clean);
        }

        private void FinishFile()
        {
            // the recorded size was read; the file must end there and match the recorded CRC
            bool longer = _file!.Read(_probe, 0, 1) > 0;
            _file.Dispose();
            _file = null;
            if (longer) throw Changed($"is longer than the {_fileEntry!.Size} bytes the layer recorded");
            if (!_checkCrc) return;
            var got = _crc.GetBytes();
            var want = _fileEntry!.Payload;
            for (int i = 0; i < 8; i++)
                if (got[i] != want[i])
                    throw Changed($"has CRC-64/ISO {Oci.Hex.Encode(got)}, the layer recorded {Oci.Hex.Encode(want)}");
        }

        private ImageToolsException Changed(string what)
        {
            string where = _files.Describe(_fileName);
            return new ImageToolsException(ErrorId.TarSplitMismatch,
                $"File '{_fileName}' of the layer ({where}) {what}: it was changed after the layer was made, so the layer cannot be reassembled to its DiffID.",
                where, where);
        }

        public override long Position { get => _position; set => throw new System.NotSupportedException(); }

        protected override void Dispose(bool disposing)
        {
            if (disposing) { _file?.Dispose(); _reader.Dispose(); }
            base.Dispose(disposing);
        }
    }
}
