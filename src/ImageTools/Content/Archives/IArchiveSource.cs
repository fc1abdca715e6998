using System;
using System.IO;

namespace ImageTools.Content.Archives
{
    /// <summary>
    /// The tar bytes of an archive file, plain or compressed: one sequential pass for the listing (during which a
    /// compressed source may record restart points), then any region of the tar opened by its offset.
    /// </summary>
    public interface IArchiveSource
    {
        ArchiveCodec Codec { get; }

        /// <summary>The whole tar from its start, read once in sequence to build the listing.</summary>
        Stream OpenFirstPass();

        /// <summary>Called when the listing is read: checks the compressed stream to its end (a short or damaged one is an error).</summary>
        void CompleteFirstPass(Stream firstPass);

        /// <summary>The <paramref name="length"/> tar bytes at <paramref name="offset"/>.</summary>
        Stream OpenRegion(long offset, long length);

        /// <summary>What the restart points cost in memory, in bytes (0 for a plain tar).</summary>
        long IndexBytes { get; }
    }

    public static class ArchiveSources
    {
        public static IArchiveSource Open(string path)
        {
            var codec = ArchiveCodecs.Detect(path);
            switch (codec)
            {
                case ArchiveCodec.None: return new PlainArchiveSource(path);
                case ArchiveCodec.Gzip when ZLib.Available: return new GzipArchiveSource(path);
                default: return new SequentialArchiveSource(path, codec);
            }
        }

        /// <summary>Drains what follows the tar's end-of-archive blocks so that the decompressor checks its trailer.</summary>
        internal static void Drain(Stream s)
        {
            var scratch = new byte[1 << 16];
            while (s.Read(scratch, 0, scratch.Length) > 0) { }
        }
    }

    internal sealed class PlainArchiveSource : IArchiveSource
    {
        private readonly string _path;
        public PlainArchiveSource(string path) { _path = path; }
        public ArchiveCodec Codec => ArchiveCodec.None;
        public long IndexBytes => 0;
        public Stream OpenFirstPass() => ContentFiles.OpenRead(_path);
        public void CompleteFirstPass(Stream firstPass) { }
        public Stream OpenRegion(long offset, long length) => new FileRegionStream(ContentFiles.OpenRead(_path), offset, length);
    }
}
