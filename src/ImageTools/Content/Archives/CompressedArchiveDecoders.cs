using System;
using System.IO;
using System.IO.Compression;
using ICSharpCode.SharpZipLib.BZip2;

namespace ImageTools.Content.Archives
{
    /// <summary>
    /// The whole-file decoders of a compressed archive: the runtime's GZipStream (only where libz is missing),
    /// SharpZipLib's BZip2, liblzma for xz, libzstd for zstd (ZstdSharp where libzstd is missing). Their failures become ArchiveTruncated or ArchiveCorrupt
    /// naming the byte of the file reached.
    /// </summary>
    internal static class CompressedArchiveDecoders
    {
        public static Stream Open(string path, ArchiveCodec codec)
        {
            var file = ContentFiles.OpenRead(path);
            try
            {
                switch (codec)
                {
                    case ArchiveCodec.Xz: return new XzDecoderStream(file, path);
                    // SharpZipLib's BZip2 reads its first block in the constructor: made on the first read, so its errors are caught there
                    case ArchiveCodec.Bzip2: return new CheckedDecoder(() => new BZip2InputStream(file) { IsStreamOwner = true }, file, path, codec);
                    case ArchiveCodec.Zstd when ZstdDecoderStream.Available: return new ZstdDecoderStream(file, path);
                    case ArchiveCodec.Zstd: return new CheckedDecoder(() => new ZstdSharp.DecompressionStream(file), file, path, codec);
                    case ArchiveCodec.Gzip: return new CheckedDecoder(() => new GZipStream(file, CompressionMode.Decompress), file, path, codec);
                    default: return file;
                }
            }
            catch
            {
                file.Dispose();
                throw;
            }
        }

        /// <summary>
        /// Turns a decoder's exceptions into the module's errors; a decoder that ends before its file does, or that
        /// ends silently at the end of a file it has not finished, is reported as truncated.
        /// </summary>
        private sealed class CheckedDecoder : ReadOnlyStream
        {
            private readonly Func<Stream> _open;
            private Stream? _inner;
            private readonly FileStream _file;
            private readonly string _path;
            private readonly ArchiveCodec _codec;
            private long _count;

            public CheckedDecoder(Func<Stream> open, FileStream file, string path, ArchiveCodec codec)
            {
                _open = open;
                _file = file;
                _path = path;
                _codec = codec;
            }

            public override int Read(byte[] buffer, int offset, int count)
            {
                int n;
                try { n = (_inner ??= _open()).Read(buffer, offset, count); }
                catch (Exception e) when (e is InvalidDataException || e is EndOfStreamException || e is ICSharpCode.SharpZipLib.SharpZipBaseException || e.GetType().Name.StartsWith("Zstd", StringComparison.Ordinal))
                {
                    bool atEnd = _file.Position >= _file.Length;
                    if (atEnd && (e is EndOfStreamException || e.Message.IndexOf("end", StringComparison.OrdinalIgnoreCase) >= 0))
                        throw ArchiveDamage.Truncated(_path, _codec, _file.Length, _count);
                    throw ArchiveDamage.Corrupt(_path, _codec, _file.Position, _count, e.Message);
                }
                _count += n;
                return n;
            }

            protected override void Dispose(bool disposing)
            {
                if (disposing) { _inner?.Dispose(); _file.Dispose(); }
                base.Dispose(disposing);
            }
        }
    }
}
