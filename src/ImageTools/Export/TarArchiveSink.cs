using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using ImageTools.Content;
using ImageTools.Oci;

namespace ImageTools.Export
{
    /// <summary>
    /// Writes an image archive as a tar into a temporary file beside the destination, renamed into place by
    /// <see cref="Commit"/>. The archive is written strictly in sequence and digested as it is written. Compressed
    /// whole (gzip or zstd, as <c>docker save | gzip</c>), the tar is digested before compression and the file after it,
    /// and the file is decompressed again and checked against the tar's digest before it is put in place.
    /// </summary>
    internal sealed class TarArchiveSink : IVerifyingBlobSink
    {
        private readonly string _destination;
        private readonly bool _overwrite;
        private readonly string _tempPath;
        private readonly FileStream _file;
        private readonly HashingWriteStream? _compressedFile;
        private readonly Stream? _compressor;
        private readonly BackgroundHashingWriter _writer;
        private readonly System.Collections.Concurrent.BlockingCollection<byte[]> _pool = BlobCopier.NewPool();
        private readonly HashSet<Digest> _written = new HashSet<Digest>();
        private readonly HashSet<string> _directories = new HashSet<string>(StringComparer.Ordinal);
        private bool _committed;

        public TarArchiveSink(string destination, bool overwrite, ArchiveCompression compression = ArchiveCompression.None)
        {
            _destination = destination;
            _overwrite = overwrite;
            TempFiles.RemoveStale(Path.GetDirectoryName(Path.GetFullPath(destination)) ?? ".");
            _tempPath = TempFiles.Beside(destination);
            _file = new FileStream(_tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
            if (compression != ArchiveCompression.None)
            {
                _compressedFile = new HashingWriteStream(_file);
                _compressor = compression == ArchiveCompression.Gzip
                    ? new System.IO.Compression.GZipStream(_compressedFile, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true)
                    : new ZstdSharp.CompressionStream(_compressedFile, 3, leaveOpen: true);
            }
            _writer = new BackgroundHashingWriter(_compressor ?? _file);
        }

        public byte[]? ExistingIndex => null;
        public long BytesWritten => _compressedFile?.Count ?? _writer.Written;

        public bool Has(Digest digest, long size) => _written.Contains(digest);

        public bool TakesParallelBlobs => false;

        public void AddBlob(Digest digest, long size, Stream content, CancellationToken cancel, Action<long>? progress) =>
            Add(digest, size, content, null, cancel, progress);

        /// <summary>The blob's digest is computed on the archive's hashing thread from the buffers it hashes anyway: one pass over the bytes.</summary>
        public void AddUnverifiedBlob(Digest digest, long size, Stream content, string location, CancellationToken cancel, Action<long>? progress)
        {
            using var hash = DigestAlgorithms.Create(digest.Algorithm);
            Add(digest, size, content, hash, cancel, progress);
            _writer.WaitHashed();
            var actual = Digest.FromBytes(digest.Algorithm, hash.GetHashAndReset());
            if (actual != digest)
                throw new BlobVerificationException(ErrorId.DigestMismatch,
                    $"Blob {digest} at {location} does not match its digest: its content hashes to {actual}.", digest, location, actual, size);
        }

        private void Add(Digest digest, long size, Stream content, System.Security.Cryptography.IncrementalHash? hash, CancellationToken cancel, Action<long>? progress)
        {
            string dir = $"blobs/{digest.Algorithm}/";
            EnsureDirectory("blobs/");
            EnsureDirectory(dir);
            var header = TarHeaderWriter.File(dir + digest.Encoded, size, 0x124 /* 0444 */);
            _writer.Write(header, 0, header.Length);
            long queued = 0;
            long copied = BlobCopier.Copy(content, _pool, (b, n) =>
            {
                // more bytes than the descriptor says never reach the archive
                if ((queued += n) > size)
                {
                    _pool.Add(b);
                    throw SizeMismatch(digest, "more than " + size, size);
                }
                _writer.WritePooled(b, n, _pool, hash);
            }, cancel, progress);
            if (copied != size) throw SizeMismatch(digest, copied.ToString(System.Globalization.CultureInfo.InvariantCulture), size);
            Pad(size);
            _written.Add(digest);
        }

        private static ImageToolsException SizeMismatch(Digest digest, string copied, long size) =>
            new ImageToolsException(ErrorId.SizeMismatch, $"Blob {digest} gave {copied} bytes, expected {size}.", digest.ToString());

        public void AddFile(string name, byte[] content)
        {
            var header = TarHeaderWriter.File(name, content.Length);
            _writer.Write(header, 0, header.Length);
            _writer.Write(content, 0, content.Length);
            Pad(content.Length);
        }

        private void EnsureDirectory(string name)
        {
            if (!_directories.Add(name)) return;
            var header = TarHeaderWriter.Directory(name);
            _writer.Write(header, 0, header.Length);
        }

        private void Pad(long size)
        {
            int pad = TarHeaderWriter.Padding(size);
            if (pad > 0) _writer.Write(new byte[pad], 0, pad);
        }

        public Digest? Commit()
        {
            var end = new byte[2 * TarHeaderWriter.BlockSize];
            _writer.Write(end, 0, end.Length);
            var digest = _writer.Complete();
            if (_compressor != null)
            {
                _compressor.Dispose();
                var tarDigest = digest;
                digest = _compressedFile!.Complete();
                _file.Flush();
                CompressedArchiveCheck.Verify(_tempPath, _destination, tarDigest);
            }
            // When a file is replaced, its data must be on disk before the rename, or a crash could leave neither
            // the old nor the new archive; a new file is left to the page cache like tar and docker save do.
            _file.Flush(flushToDisk: File.Exists(_destination));
            _file.Dispose();
            TempFiles.MoveIntoPlace(_tempPath, _destination, _overwrite);
            _committed = true;
            return digest;
        }

        public void Dispose()
        {
            _writer.Dispose();
            try { _compressor?.Dispose(); }
            catch (IOException) { }
            // Closing flushes what is buffered, which fails again on a full disk; the temporary file goes all the same.
            try { _file.Dispose(); }
            catch (IOException) { }
            if (!_committed) TempFiles.Delete(_tempPath);
        }
    }
}
