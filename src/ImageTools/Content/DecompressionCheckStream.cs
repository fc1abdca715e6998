using System;
using System.IO;
using ImageTools.Oci;

namespace ImageTools.Content
{
    /// <summary>
    /// Wraps a decompressor: turns its exceptions into <see cref="ImageToolsException"/>s naming the location, and at the
    /// end compares the output size with the gzip trailer's ISIZE (size mod 2^32) to catch a stream that ends early;
    /// when they disagree, the stream may be several members (the trailer is the last one's), and a member-by-member
    /// check decides.
    /// </summary>
    internal sealed class DecompressionCheckStream : ReadOnlyStream
    {
        private readonly Stream _inner;
        private readonly Compression _compression;
        private readonly string _location;
        private readonly uint? _expectedSizeMod32;
        private readonly Func<long, string?>? _membersCheck;
        private long _count;
        private bool _checked;

        /// <summary><paramref name="membersCheck"/>, given the size read, says null when the stream is whole gzip members of that size, else why not.</summary>
        public DecompressionCheckStream(Stream inner, Compression compression, string location, uint? expectedSizeMod32, Func<long, string?>? membersCheck = null)
        {
            _inner = inner;
            _compression = compression;
            _location = location;
            _expectedSizeMod32 = expectedSizeMod32;
            _membersCheck = membersCheck;
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n;
            try
            {
                n = _inner.Read(buffer, offset, count);
            }
            catch (Exception e) when (e is InvalidDataException || e is EndOfStreamException || e.GetType().Name.StartsWith("Zstd", StringComparison.Ordinal))
            {
                throw new ImageToolsException(ErrorId.CompressedStreamTruncated,
                    $"The {_compression.ToString().ToLowerInvariant()} stream of {_location} is damaged after {_count} decompressed bytes: {e.Message}",
                    _location, _location, e);
            }
            _count += n;
            if (n == 0 && count > 0 && !_checked)
            {
                _checked = true;
                if (_expectedSizeMod32.HasValue && (uint)_count != _expectedSizeMod32.Value)
                {
                    string? problem = _membersCheck == null ? "" : _membersCheck(_count);
                    if (problem != null)
                        throw new ImageToolsException(ErrorId.CompressedStreamTruncated,
                            $"The gzip stream of {_location} ends early: it gave {_count} bytes, its trailer says {_expectedSizeMod32.Value} (mod 2^32)" +
                            (problem.Length > 0 ? $"; read member by member it fails {problem}." : "."),
                            _location, _location);
                }
            }
            return n;
        }
        public override long Position { get => _count; set => throw new System.NotSupportedException(); }

        protected override void Dispose(bool disposing)
        {
            if (disposing) _inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
