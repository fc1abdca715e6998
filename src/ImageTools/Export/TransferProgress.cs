using System;
using System.Collections.Concurrent;
using System.Threading;
using ImageTools.Oci;

namespace ImageTools.Export
{
    /// <summary>
    /// How far a save or a push is: overall bytes and the blobs moving now. Written by the transfer threads, read by
    /// the command's thread, which alone may write progress records.
    /// </summary>
    internal sealed class TransferProgress
    {
        private long _doneBytes;
        private string _label = "";

        /// <summary>The bytes of every blob of the work, each counted once.</summary>
        public long TotalBytes { get; set; }

        /// <summary>The bytes of the blobs finished (moved, or found present).</summary>
        public long DoneBytes => Interlocked.Read(ref _doneBytes);

        /// <summary>The image being written, for the overall record.</summary>
        public string Label
        {
            get => Volatile.Read(ref _label);
            set => Volatile.Write(ref _label, value);
        }

        /// <summary>The blobs moving now.</summary>
        public ConcurrentDictionary<Digest, BlobInFlight> InFlight { get; } = new ConcurrentDictionary<Digest, BlobInFlight>();

        /// <summary>A blob starts moving; <paramref name="bytesMoved"/> tells how much of it has (read from any thread).</summary>
        public BlobInFlight Start(Digest digest, long size, Func<long>? bytesMoved = null)
        {
            var blob = new BlobInFlight(size, bytesMoved);
            InFlight[digest] = blob;
            return blob;
        }

        /// <summary>A blob is done (moved or found present): its bytes count as done.</summary>
        public void Finish(Digest digest, long size)
        {
            InFlight.TryRemove(digest, out _);
            Interlocked.Add(ref _doneBytes, size);
        }

        /// <summary>A blob stopped moving without being done (its transfer failed).</summary>
        public void Abandon(Digest digest) => InFlight.TryRemove(digest, out _);
    }

    /// <summary>One blob moving: its size and how much of it has moved.</summary>
    internal sealed class BlobInFlight
    {
        private readonly Func<long>? _bytesMoved;
        private long _bytes;

        public BlobInFlight(long size, Func<long>? bytesMoved)
        {
            Size = size;
            _bytesMoved = bytesMoved;
        }

        public long Size { get; }

        public long Bytes
        {
            get => _bytesMoved?.Invoke() ?? Interlocked.Read(ref _bytes);
            set => Interlocked.Exchange(ref _bytes, value);
        }
    }
}
