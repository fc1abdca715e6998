using System;
using System.IO;
using ImageTools.Oci;

namespace ImageTools.Content.Archives
{
    /// <summary>
    /// Digests one archive entry as the listing pass reads it: its bytes on one thread while the archive decompresses
    /// on this one and, for a gzip or zstd entry, what it decompresses to on a third (<see cref="StreamDigester"/>).
    /// Reads the entry to its end whatever happens, so the listing goes on from the next header.
    /// </summary>
    internal static class EntryDigester
    {
        /// <summary>Entries this small are hashed inline: a thread hand-off costs more than their hash.</summary>
        private const long InlineLimit = 1 << 20;

        public static ListedEntryDigest Digest(Stream data, long size, string algorithm, bool content, string location)
        {
            // a DiffID is a sha256: beside a sha512 blob it is left to the verifier's own read
            content &= algorithm == Oci.Digest.Sha256;
            if (size <= InlineLimit) return DigestSmall(data, size, algorithm, content, location);
            using var raw = new DigestingReadStream(data, algorithm);
            if (!content)
            {
                Drain(raw);
                return new ListedEntryDigest(raw.Finish(), null);
            }
            var plain = Decompression.Open(raw, location, out var compression);
            if (compression == Compression.None)
            {
                Drain(plain);
                var blob = raw.Finish();
                return new ListedEntryDigest(blob, blob.Digest);
            }
            Digest? contentDigest = null;
            try { contentDigest = StreamDigester.Digest(plain, Oci.Digest.Sha256).Digest; }
            // a damaged entry is left for the verifier to read again and name; a damaged archive ends the listing
            catch (Exception e) when (raw.ArchiveFailure == null && (e is ImageToolsException || e is InvalidDataException || e is EndOfStreamException)) { }
            Drain(raw);
            return new ListedEntryDigest(raw.Finish(), contentDigest);
        }

        private static ListedEntryDigest DigestSmall(Stream data, long size, string algorithm, bool content, string location)
        {
            var bytes = new byte[size];
            int got = data.ReadFully(bytes);
            Drain(data);
            var blob = HashInline(new MemoryStream(bytes, 0, got, false), algorithm);
            if (!content) return new ListedEntryDigest(blob, null);
            try
            {
                using var plain = Decompression.Open(new MemoryStream(bytes, 0, got, false), location, out var compression);
                return new ListedEntryDigest(blob, compression == Compression.None ? blob.Digest : HashInline(plain, Oci.Digest.Sha256).Digest);
            }
            catch (Exception e) when (e is ImageToolsException || e is InvalidDataException || e is EndOfStreamException)
            {
                return new ListedEntryDigest(blob, null);
            }
        }

        private static DigestResult HashInline(Stream data, string algorithm)
        {
            using var hash = DigestAlgorithms.Create(algorithm);
            var buffer = new byte[81920];
            long total = 0;
            int n;
            while ((n = data.Read(buffer, 0, buffer.Length)) > 0)
            {
                hash.AppendData(buffer, 0, n);
                total += n;
            }
            return new DigestResult(Oci.Digest.FromBytes(algorithm, hash.GetHashAndReset()), total);
        }

        private static void Drain(Stream s)
        {
            var buffer = new byte[1 << 16];
            while (s.Read(buffer, 0, buffer.Length) > 0) { }
        }

        /// <summary>Counts and hashes (on a thread of its own) what passes through.</summary>
        private sealed class DigestingReadStream : ReadOnlyStream
        {
            private readonly Stream _inner;
            private readonly string _algorithm;
            private readonly BackgroundDigester _hash;
            private long _count;

            public DigestingReadStream(Stream inner, string algorithm)
            {
                _inner = inner;
                _algorithm = algorithm;
                _hash = new BackgroundDigester(algorithm);
            }

            /// <summary>What reading the archive itself threw (truncated or corrupt), as opposed to decompressing the entry.</summary>
            public Exception? ArchiveFailure { get; private set; }

            public override int Read(byte[] buffer, int offset, int count)
            {
                int n;
                try { n = _inner.Read(buffer, offset, count); }
                catch (Exception e)
                {
                    ArchiveFailure = e;
                    throw;
                }
                if (n > 0)
                {
                    _hash.Append(buffer, offset, n);
                    _count += n;
                }
                return n;
            }

            public override long Position { get => _count; set => throw new NotSupportedException(); }

            public DigestResult Finish() => new DigestResult(Oci.Digest.FromBytes(_algorithm, _hash.Finish()), _count);

            protected override void Dispose(bool disposing)
            {
                if (disposing) _hash.Dispose();
                base.Dispose(disposing);
            }
        }
    }
}
