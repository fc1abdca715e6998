using System;
using System.IO;
using System.IO.Compression;
using ImageTools.Oci;

namespace ImageTools.Content
{
    /// <summary>Opens the decompressed view of a layer whatever its compression, decided from the bytes.</summary>
    public static class Decompression
    {
        /// <param name="compressed">The compressed bytes; when seekable, a gzip stream's trailer is read first so that
        /// a stream that ends early is detected (the runtime's GZipStream ends silently on truncated input).</param>
        /// <param name="location">Named in the error when the compressed stream is damaged or ends early.</param>
        /// <param name="compression">The compression found in the first bytes.</param>
        public static Stream Open(Stream compressed, string location, out Compression compression)
        {
            if (compressed is VerifyingStream blob) return OpenVerified(blob, location, out compression);
            return OpenUnchecked(compressed, location, out compression);
        }

        /// <summary>
        /// The decompressed view of a blob that is being verified: a decompression error is reported as the blob's
        /// DigestMismatch when its bytes are not the blob's (<see cref="VerifyingStream.ThrowIfMismatched"/>).
        /// </summary>
        public static Stream OpenVerified(VerifyingStream blob, string location, out Compression compression)
        {
            Stream plain;
            try { plain = OpenUnchecked(blob, location, out compression); }
            catch (Exception e) when (e is ImageToolsException || e is InvalidDataException || e is EndOfStreamException)
            {
                blob.ThrowIfMismatched(e);
                throw;
            }
            return compression == Compression.None ? plain : new DigestFirstStream(plain, blob);
        }

        private static Stream OpenUnchecked(Stream compressed, string location, out Compression compression)
        {
            uint? gzipTrailerSize = null;
            long start = 0;
            if (compressed.CanSeek && compressed.Length >= 18)
            {
                start = compressed.Position;
                compressed.Seek(-4, SeekOrigin.End);
                var trailer = new byte[4];
                if (compressed.ReadFully(trailer) == 4)
                    gzipTrailerSize = (uint)(trailer[0] | trailer[1] << 8 | trailer[2] << 16 | trailer[3] << 24);
                compressed.Seek(start, SeekOrigin.Begin);
            }
            compression = CompressionDetector.Sniff(compressed, out var rewound);
            switch (compression)
            {
                case Compression.Gzip:
                    // a trailer that disagrees may be the last of several members: read those again one by one to tell
                    Func<long, string?> membersCheck = size =>
                    {
                        compressed.Seek(start, SeekOrigin.Begin);
                        return GzipMembers.Check(compressed, size);
                    };
                    return new DecompressionCheckStream(GzipInflateStream.Open(rewound), compression, location,
                        gzipTrailerSize, gzipTrailerSize.HasValue ? membersCheck : null);
                case Compression.Zstd:
                    return new DecompressionCheckStream(new ZstdSharp.DecompressionStream(rewound), compression, location, null);
                default:
                    return rewound;
            }
        }
    }
}
