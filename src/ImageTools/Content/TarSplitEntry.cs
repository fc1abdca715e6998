namespace ImageTools.Content
{
    /// <summary>The two kinds of tar-split records (vbatts/tar-split tar/storage/entry.go).</summary>
    public enum TarSplitEntryType
    {
        /// <summary>A file whose content is read from the unpacked layer: name, size and CRC-64/ISO.</summary>
        File = 1,
        /// <summary>Raw tar bytes kept verbatim: headers, padding, end-of-archive blocks.</summary>
        Segment = 2,
    }

    /// <summary>One JSON line of a tar-split stream.</summary>
    public sealed class TarSplitEntry
    {
        public TarSplitEntry(TarSplitEntryType type, string? name, byte[]? nameRaw, long size, byte[] payload, long position)
        {
            Type = type; Name = name; NameRaw = nameRaw; Size = size; Payload = payload; Position = position;
        }

        public TarSplitEntryType Type { get; }

        /// <summary>The file's path as in the layer tar (UTF-8 names), or null.</summary>
        public string? Name { get; }

        /// <summary>The path's raw bytes when it is not valid UTF-8.</summary>
        public byte[]? NameRaw { get; }

        public long Size { get; }

        /// <summary>Segment bytes, or a file's 8-byte big-endian CRC-64/ISO.</summary>
        public byte[] Payload { get; }

        public long Position { get; }
    }
}
