using System.IO;
using ImageTools.Oci;

namespace ImageTools.Content
{
    /// <summary>Tells gzip, zstd and plain content apart by their first bytes.</summary>
    public static class CompressionDetector
    {
        public const int HeaderLength = 4;

        public static Compression Detect(byte[] header, int count)
        {
            if (count >= 2 && header[0] == 0x1F && header[1] == 0x8B) return Compression.Gzip;
            if (count >= 4 && header[0] == 0x28 && header[1] == 0xB5 && header[2] == 0x2F && header[3] == 0xFD) return Compression.Zstd;
            return Compression.None;
        }

        /// <summary>Reads the first bytes of <paramref name="source"/> and returns a stream that still yields all of them.</summary>
        public static Compression Sniff(Stream source, out Stream rewound)
        {
            var header = new byte[HeaderLength];
            int count = source.ReadFully(header);
            rewound = new PrefixedStream(header, count, source);
            return Detect(header, count);
        }
    }
}
