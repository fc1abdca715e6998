using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace ImageTools.Content
{
    /// <summary>
    /// Reads tar headers in sequence from any stream (seekable or not): ustar, GNU (long names 'L'/'K', base-256
    /// numbers) and PAX ('x' records: path, linkpath, size, uid, gid, mtime, uname, gname, SCHILY.xattr.*).
    /// A stream that ends where a header would start is taken as an archive without end-of-archive blocks
    /// (<see cref="MissingEndOfArchive"/>); one that ends inside a header or inside an entry's data is an error.
    /// </summary>
    public sealed class TarReader
    {
        private const long MaxMetadataSize = 1 << 20;
        private readonly Stream _stream;
        private readonly string _location;
        private readonly byte[] _block = new byte[TarHeader.BlockSize];
        // the PAX records of the entry being read; cleared for each entry (what an entry keeps is copied out of it)
        private readonly Dictionary<string, string> _pax = new Dictionary<string, string>(StringComparer.Ordinal);
        private long _position;
        private long _pendingSkip;
        private TarEntry? _current;
        private long _currentRemaining;
        private byte[]? _scratch;

        public TarReader(Stream stream, string location)
        {
            _stream = stream;
            _location = location;
        }

        /// <summary>The stream ended without the two zero blocks that close a tar archive.</summary>
        public bool MissingEndOfArchive { get; private set; }

        /// <summary>The last entry's data ended without its padding to a 512-byte block.</summary>
        public bool MissingPadding { get; private set; }

        public long Position => _position;

        public TarEntry? Next()
        {
            SkipRemainingData();
            var pax = _pax;
            pax.Clear();
            string? longName = null, longLink = null;
            long headerOffset = _position;
            while (true)
            {
                int got = ReadBlock();
                if (got == 0) { MissingEndOfArchive = true; return null; }
                if (got < TarHeader.BlockSize)
                    throw Truncated($"the archive ends inside a header at offset {_position - got}");
                TarHeader? h;
                try { h = TarHeader.Parse(_block); }
                catch (FormatException e) { throw Corrupt($"the header at offset {_position - TarHeader.BlockSize} is damaged: {e.Message}"); }
                if (h == null) return null;

                switch (h.TypeFlag)
                {
                    case 'x':
                        foreach (var kv in PaxRecords.Parse(ReadMetadata(h), _location)) pax[kv.Key] = kv.Value;
                        continue;
                    case 'g':
                        ReadMetadata(h);
                        continue;
                    case 'L':
                        longName = TrimNul(Encoding.UTF8.GetString(ReadMetadata(h)));
                        continue;
                    case 'K':
                        longLink = TrimNul(Encoding.UTF8.GetString(ReadMetadata(h)));
                        continue;
                }

                var entry = new TarEntry
                {
                    Name = pax.TryGetValue("path", out var p) ? p : longName ?? h.Name,
                    LinkName = pax.TryGetValue("linkpath", out var lp) ? lp : longLink ?? h.LinkName,
                    TypeFlag = h.TypeFlag,
                    Type = TarEntry.TypeOf(h.TypeFlag),
                    Size = PaxNumber(pax, "size") ?? h.Size,
                    Mode = h.Mode,
                    Uid = PaxNumber(pax, "uid") ?? h.Uid,
                    Gid = PaxNumber(pax, "gid") ?? h.Gid,
                    UserName = pax.TryGetValue("uname", out var un) ? un : h.UserName,
                    GroupName = pax.TryGetValue("gname", out var gn) ? gn : h.GroupName,
                    ModifiedAt = PaxTime(pax) ?? DateTimeOffset.FromUnixTimeSeconds(Math.Min(h.ModTime, 253402300799)),
                    DevMajor = h.DevMajor,
                    DevMinor = h.DevMinor,
                    Xattrs = PaxRecords.Xattrs(pax),
                    HeaderOffset = headerOffset,
                    DataOffset = _position,
                };
                // Hard links, symlinks, directories and devices carry no data whatever the size field says.
                if (entry.Type != TarEntryType.File && entry.Type != TarEntryType.Other) entry.Size = 0;
                _current = entry;
                _currentRemaining = entry.Size;
                _pendingSkip = Padding(entry.Size);
                return entry;
            }
        }

        /// <summary>A stream over the current entry's data; valid until <see cref="Next"/> is called.</summary>
        public Stream OpenData()
        {
            if (_current == null) throw new InvalidOperationException("No current entry.");
            return new EntryDataStream(this);
        }

        internal int ReadData(byte[] buffer, int offset, int count)
        {
            if (_currentRemaining <= 0) return 0;
            int n = _stream.Read(buffer, offset, (int)Math.Min(count, _currentRemaining));
            if (n == 0)
                throw Truncated($"the archive ends inside the data of '{_current!.Name}' ({_currentRemaining} of {_current.Size} bytes missing)");
            _currentRemaining -= n;
            _position += n;
            return n;
        }

        private void SkipRemainingData()
        {
            if (_currentRemaining > 0)
            {
                if (_stream.CanSeek)
                {
                    long target = _stream.Position + _currentRemaining;
                    if (target > _stream.Length)
                        throw Truncated($"the archive ends inside the data of '{_current!.Name}' ({target - _stream.Length} bytes missing)");
                    _stream.Seek(_currentRemaining, SeekOrigin.Current);
                    _position += _currentRemaining;
                    _currentRemaining = 0;
                }
                else
                {
                    _scratch ??= new byte[81920];
                    while (_currentRemaining > 0) ReadData(_scratch, 0, _scratch.Length);
                }
            }
            if (_pendingSkip > 0)
            {
                int got = _stream.ReadFully(_block, 0, (int)_pendingSkip);
                if (got < _pendingSkip) MissingPadding = true;
                _position += got;
                _pendingSkip = 0;
            }
        }

        private byte[] ReadMetadata(TarHeader h)
        {
            if (h.Size > MaxMetadataSize) throw Corrupt($"a '{h.TypeFlag}' metadata entry of {h.Size} bytes is larger than {MaxMetadataSize}");
            var data = new byte[h.Size];
            int got = _stream.ReadFully(data);
            _position += got;
            if (got < data.Length) throw Truncated($"the archive ends inside a '{h.TypeFlag}' metadata entry");
            int pad = (int)Padding(h.Size);
            int padGot = _stream.ReadFully(_block, 0, pad);
            _position += padGot;
            if (padGot < pad) throw Truncated("the archive ends inside the padding of a metadata entry");
            return data;
        }

        private int ReadBlock()
        {
            int got = _stream.ReadFully(_block, 0, TarHeader.BlockSize);
            _position += got;
            return got;
        }

        private static long Padding(long size) => (TarHeader.BlockSize - size % TarHeader.BlockSize) % TarHeader.BlockSize;

        private static string TrimNul(string s) => s.TrimEnd('\0');

        private long? PaxNumber(Dictionary<string, string> pax, string key)
        {
            if (!pax.TryGetValue(key, out var s)) return null;
            if (long.TryParse(s, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long v)) return v;
            throw Corrupt($"PAX record {key}='{s}' is not a number");
        }

        private static DateTimeOffset? PaxTime(Dictionary<string, string> pax)
        {
            if (!pax.TryGetValue("mtime", out var s)) return null;
            if (!decimal.TryParse(s, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds)) return null;
            if (seconds < -62135596800m || seconds > 253402300799m) return null;
            return DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000));
        }

        private ImageToolsException Truncated(string what) =>
            new ImageToolsException(ErrorId.ArchiveTruncated, $"{_location} is truncated: {what}.", _location, _location);

        private ImageToolsException Corrupt(string what) =>
            new ImageToolsException(ErrorId.ArchiveCorrupt, $"{_location} is not a valid tar archive: {what}.", _location, _location);

        private sealed class EntryDataStream : ReadOnlyStream
        {
            private readonly TarReader _reader;
            public EntryDataStream(TarReader reader) { _reader = reader; }
            public override int Read(byte[] buffer, int offset, int count) => _reader.ReadData(buffer, offset, count);
            public override long Length => _reader._current?.Size ?? 0;
        }
    }
}
