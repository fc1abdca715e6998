using System;
using System.Collections.Concurrent;
using System.IO;
using System.Threading.Tasks;
using ImageTools.Content;
using ImageTools.Oci;

namespace ImageTools.Export
{
    /// <summary>
    /// Writes to a file on its own thread and digests everything written, so that hashing the output overlaps with
    /// reading and verifying the input on the caller's thread. Writes are queued in order; buffers handed over are
    /// returned to the caller's pool once written.
    /// </summary>
    internal sealed class BackgroundHashingWriter : IDisposable
    {
        private const int QueueDepth = 4;
        private readonly Stream _output;
        private readonly BlockingCollection<(byte[] Buffer, int Count, BlockingCollection<byte[]>? ReturnTo)> _queue =
            new BlockingCollection<(byte[], int, BlockingCollection<byte[]>?)>(QueueDepth);
        private readonly System.Security.Cryptography.IncrementalHash _hash = DigestAlgorithms.Create(Digest.Sha256);
        private readonly Task _worker;
        private Exception? _failure;

        public long Written { get; private set; }

        public BackgroundHashingWriter(Stream output)
        {
            _output = output;
            _worker = Task.Factory.StartNew(Run, TaskCreationOptions.LongRunning);
        }

        /// <summary>Queues a copy of the bytes (small writes: headers, padding, JSON files).</summary>
        public void Write(byte[] data, int offset, int count)
        {
            var copy = new byte[count];
            Buffer.BlockCopy(data, offset, copy, 0, count);
            Enqueue(copy, count, null);
        }

        /// <summary>Queues a pooled buffer without copying; it is added back to <paramref name="returnTo"/> once written.</summary>
        public void WritePooled(byte[] buffer, int count, BlockingCollection<byte[]> returnTo) => Enqueue(buffer, count, returnTo);

        private void Enqueue(byte[] buffer, int count, BlockingCollection<byte[]>? returnTo)
        {
            if (_failure != null) throw new IOException("Writing the archive failed: " + _failure.Message, _failure);
            _queue.Add((buffer, count, returnTo));
        }

        private void Run()
        {
            foreach (var (buffer, count, returnTo) in _queue.GetConsumingEnumerable())
            {
                try
                {
                    if (_failure == null)
                    {
                        _output.Write(buffer, 0, count);
                        _hash.AppendData(buffer, 0, count);
                        Written += count;
                    }
                }
                catch (Exception e) { _failure = e; }
                finally { returnTo?.Add(buffer); }
            }
        }

        /// <summary>Waits for every queued write and returns the digest of all bytes written.</summary>
        public Digest Complete()
        {
            _queue.CompleteAdding();
            _worker.GetAwaiter().GetResult();
            if (_failure != null) throw new IOException("Writing the archive failed: " + _failure.Message, _failure);
            _output.Flush();
            return Digest.FromBytes(Digest.Sha256, _hash.GetHashAndReset());
        }

        public void Dispose()
        {
            if (!_queue.IsAddingCompleted) _queue.CompleteAdding();
            try { _worker.Wait(); } catch (AggregateException) { }
            _hash.Dispose();
            _queue.Dispose();
        }
    }
}
