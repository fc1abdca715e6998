using System.IO;

namespace ImageTools.Content.Archives
{
    /// <summary>How a whole tar archive is compressed, as <c>docker load</c> accepts it.</summary>
    public enum ArchiveCodec { None, Gzip, Bzip2, Xz, Zstd }

    /// <summary>Tells the archive compressions apart by their magic bytes, never by the file name.</summary>
    public static class ArchiveCodecs
    {
        public static ArchiveCodec Detect(byte[] head, int count)
        {
            if (count >= 2 && head[0] == 0x1F && head[1] == 0x8B) return ArchiveCodec.Gzip;
            if (count >= 4 && head[0] == 0x28 && head[1] == 0xB5 && head[2] == 0x2F && head[3] == 0xFD) return ArchiveCodec.Zstd;
            if (count >= 6 && head[0] == 0xFD && head[1] == (byte)'7' && head[2] == (byte)'z' && head[3] == (byte)'X' && head[4] == (byte)'Z' && head[5] == 0)
                return ArchiveCodec.Xz;
            if (count >= 4 && head[0] == (byte)'B' && head[1] == (byte)'Z' && head[2] == (byte)'h' && head[3] >= (byte)'1' && head[3] <= (byte)'9')
                return ArchiveCodec.Bzip2;
            return ArchiveCodec.None;
        }

        public static ArchiveCodec Detect(string path)
        {
            using var f = ContentFiles.OpenRead(path);
            var head = new byte[6];
            return Detect(head, f.ReadFully(head));
        }

        public static string Name(ArchiveCodec codec) => codec.ToString().ToLowerInvariant();
    }

    /// <summary>The errors of a damaged compressed archive, naming the compression and where it fails.</summary>
    internal static class ArchiveDamage
    {
        public static ImageToolsException Truncated(string location, ArchiveCodec codec, long compressedOffset, long decompressedOffset) =>
            new ImageToolsException(ErrorId.ArchiveTruncated,
                $"{location} is truncated: its {ArchiveCodecs.Name(codec)} stream ends at byte {compressedOffset} of the file, " +
                $"after {decompressedOffset} decompressed bytes, before the end of the compressed data.", location, location);

        public static ImageToolsException Corrupt(string location, ArchiveCodec codec, long compressedOffset, long decompressedOffset, string detail) =>
            new ImageToolsException(ErrorId.ArchiveCorrupt,
                $"{location} is corrupt: its {ArchiveCodecs.Name(codec)} stream is damaged near byte {compressedOffset} of the file, " +
                $"after {decompressedOffset} decompressed bytes: {detail}.", location, location);
    }
}
