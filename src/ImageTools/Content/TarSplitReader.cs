using System;
using System.IO;
using System.IO.Compression;
using System.Text.Json;

namespace ImageTools.Content
{
    /// <summary>
    /// Reads a tar-split stream: JSON objects one per line (Go's json.Encoder), gzip-compressed in Docker's
    /// <c>layerdb/sha256/&lt;chainID&gt;/tar-split.json.gz</c>. Payloads are base64 (Go's []byte encoding).
    /// </summary>
    public sealed class TarSplitReader : IDisposable
    {
        private const int MaxLine = 64 << 20;
        private readonly Stream _stream;
        private readonly string _location;
        private byte[] _buf = new byte[1 << 16];
        private int _start, _end;
        private bool _eof;
        private long _line;

        public TarSplitReader(Stream stream, string location)
        {
            _stream = stream;
            _location = location;
        }

        /// <summary>Opens a gzip-compressed tar-split file (<c>tar-split.json.gz</c>).</summary>
        public static TarSplitReader OpenGzip(string path)
        {
            var file = ContentFiles.OpenRead(path);
            return new TarSplitReader(new GZipStream(file, CompressionMode.Decompress), path);
        }

        /// <summary>The length of the tar the stream reassembles: segment bytes plus file sizes.</summary>
        public static long TarLength(string path)
        {
            using var r = OpenGzip(path);
            long total = 0;
            while (r.Next() is TarSplitEntry e) total += e.Type == TarSplitEntryType.Segment ? e.Payload.Length : e.Size;
            return total;
        }

        /// <summary>The next record, or null at the end.</summary>
        public TarSplitEntry? Next()
        {
            while (true)
            {
                var line = ReadLine();
                if (line == null) return null;
                if (line.Value.Count == 0 || IsBlank(line.Value)) continue;
                return Parse(line.Value);
            }
        }

        private static bool IsBlank(ArraySegment<byte> s)
        {
            for (int i = 0; i < s.Count; i++) if (!char.IsWhiteSpace((char)s.Array![s.Offset + i])) return false;
            return true;
        }

        private TarSplitEntry Parse(ArraySegment<byte> line)
        {
            if (!TarSplitFastLine.TryParse(line, out int type, out string? name, out byte[]? nameRaw, out long size, out byte[]? payload, out long position))
                ParseJson(line, out type, out name, out nameRaw, out size, out payload, out position);
            if (type != 1 && type != 2) throw Bad($"has type {type}; tar-split records are 1 (file) or 2 (segment)");
            if (size < 0) throw Bad($"has a negative size ({size})");
            if (type == 1 && size > 0 && (payload == null || payload.Length != 8))
                throw Bad("is a file record without an 8-byte CRC-64 payload");
            if (type == 1 && name == null && nameRaw == null) throw Bad("is a file record without a name");
            return new TarSplitEntry((TarSplitEntryType)type, name, nameRaw, size, payload ?? Array.Empty<byte>(), position);
        }

        /// <summary>A record the fast path does not take, read as JSON: later members win, unknown ones are skipped.</summary>
        private void ParseJson(ArraySegment<byte> line, out int type, out string? name, out byte[]? nameRaw, out long size, out byte[]? payload, out long position)
        {
            type = 0; name = null; nameRaw = null; size = 0; position = 0; payload = null;
            try
            {
                var r = new Utf8JsonReader(line);
                if (!r.Read() || r.TokenType != JsonTokenType.StartObject) throw Bad("is not a JSON object");
                while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
                {
                    string prop = r.GetString()!;
                    r.Read();
                    switch (prop)
                    {
                        case "type": type = r.GetInt32(); break;
                        case "name": name = r.TokenType == JsonTokenType.Null ? null : r.GetString(); break;
                        case "name_raw": nameRaw = r.TokenType == JsonTokenType.Null ? null : r.GetBytesFromBase64(); break;
                        case "size": size = r.GetInt64(); break;
                        case "payload": payload = r.TokenType == JsonTokenType.Null ? null : r.GetBytesFromBase64(); break;
                        case "position": position = r.GetInt64(); break;
                        default: r.Skip(); break;
                    }
                }
            }
            catch (Exception e) when (e is JsonException || e is FormatException || e is InvalidOperationException)
            {
                throw Bad($"is not a valid tar-split record: {e.Message}", e);
            }
        }

        private ImageToolsException Bad(string what, Exception? inner = null) =>
            new ImageToolsException(ErrorId.MalformedContent, $"Line {_line} of the tar-split stream {_location} {what}.", _location, _location, inner);

        private ArraySegment<byte>? ReadLine()
        {
            while (true)
            {
                int nl = Array.IndexOf(_buf, (byte)'\n', _start, _end - _start);
                if (nl >= 0)
                {
                    var seg = new ArraySegment<byte>(_buf, _start, nl - _start);
                    _start = nl + 1;
                    _line++;
                    return seg;
                }
                if (_eof)
                {
                    if (_start == _end) return null;
                    var rest = new ArraySegment<byte>(_buf, _start, _end - _start);
                    _start = _end;
                    _line++;
                    return rest;
                }
                if (_start > 0)
                {
                    Buffer.BlockCopy(_buf, _start, _buf, 0, _end - _start);
                    _end -= _start; _start = 0;
                }
                if (_end == _buf.Length)
                {
                    if (_buf.Length >= MaxLine) throw Bad($"is longer than {MaxLine} bytes");
                    Array.Resize(ref _buf, _buf.Length * 2);
                }
                int n;
                try { n = _stream.Read(_buf, _end, _buf.Length - _end); }
                catch (InvalidDataException e) { throw Bad($"cannot be decompressed: {e.Message}", e); }
                if (n == 0) _eof = true; else _end += n;
            }
        }

        public void Dispose() => _stream.Dispose();
    }
}
