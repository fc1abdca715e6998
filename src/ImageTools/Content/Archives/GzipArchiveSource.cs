using System;
using System.Collections.Generic;
using System.IO;

namespace ImageTools.Content.Archives
{
    /// <summary>
    /// A .tar.gz read in place: the listing pass records a restart point every <see cref="Span"/> bytes of tar
    /// (a deflate block boundary and its 32 KiB window, as zlib's zran does), so that a blob read later inflates
    /// from the nearest point before it instead of from the start. Cost: 32 KiB per point, 16 KiB per MiB of tar.
    /// </summary>
    internal sealed class GzipArchiveSource : IArchiveSource
    {
        public const long Span = 2 << 20;
        private readonly string _path;
        private List<GzipCheckpoint> _points = new List<GzipCheckpoint>();

        public GzipArchiveSource(string path) { _path = path; }

        public ArchiveCodec Codec => ArchiveCodec.Gzip;
        public long IndexBytes => _points.Count * (long)(ZLib.WindowSize + 64);

        public Stream OpenFirstPass() => new GzipIndexingStream(_path, Span);

        public void CompleteFirstPass(Stream firstPass)
        {
            ArchiveSources.Drain(firstPass);
            _points = ((GzipIndexingStream)firstPass).Points;
        }

        public Stream OpenRegion(long offset, long length)
        {
            var point = Nearest(offset);
            if (point == null) throw new InvalidOperationException("The listing pass recorded no restart point.");
            return new GzipRestartStream(_path, point, offset - point.Out, length);
        }

        private GzipCheckpoint? Nearest(long offset)
        {
            int lo = 0, hi = _points.Count - 1, found = -1;
            while (lo <= hi)
            {
                int mid = (lo + hi) / 2;
                if (_points[mid].Out <= offset) { found = mid; lo = mid + 1; }
                else hi = mid - 1;
            }
            return found < 0 ? null : _points[found];
        }
    }
}
