using System;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Threading.Tasks;

namespace ImageTools.Content
{
    /// <summary>
    /// Hashes on a thread of its own: appended bytes are copied into 1 MiB chunks that a worker hashes, so a reader
    /// that also decompresses, replays tar-split or writes an archive keeps its own core. Copying costs far less than
    /// SHA-256, which is what a save or a DiffID check is bound by.
    /// </summary>
    internal sealed class BackgroundDigester : IDisposable
    {
        private const int ChunkSize = 1 << 20;
        private const int ChunkCount = 4;
        private readonly IncrementalHash _hash;
        private readonly BlockingCollection<byte[]> _free = new BlockingCollection<byte[]>(ChunkCount);
        private readonly BlockingCollection<(byte[] Chunk, int Count)> _full = new BlockingCollection<(byte[], int)>(ChunkCount);
        private readonly Task _worker;
        private byte[]? _current;
        private int _filled;

        public BackgroundDigester(string algorithm)
        {
            _hash = DigestAlgorithms.Create(algorithm);
            for (int i = 0; i < ChunkCount; i++) _free.Add(new byte[ChunkSize]);
            _worker = Task.Factory.StartNew(() =>
            {
                foreach (var (chunk, count) in _full.GetConsumingEnumerable())
                {
                    _hash.AppendData(chunk, 0, count);
                    _free.Add(chunk);
                }
            }, TaskCreationOptions.LongRunning);
        }

        public void Append(byte[] data, int offset, int count)
        {
            while (count > 0)
            {
                _current ??= _free.Take();
                int n = Math.Min(count, ChunkSize - _filled);
                Buffer.BlockCopy(data, offset, _current, _filled, n);
                _filled += n;
                offset += n;
                count -= n;
                if (_filled == ChunkSize) Flush();
            }
        }

        /// <summary>Waits for the worker and returns the hash of everything appended.</summary>
        public byte[] Finish()
        {
            Flush();
            _full.CompleteAdding();
            _worker.GetAwaiter().GetResult();
            return _hash.GetHashAndReset();
        }

        private void Flush()
        {
            if (_current == null || _filled == 0) return;
            _full.Add((_current, _filled));
            _current = null;
            _filled = 0;
        }

        public void Dispose()
        {
            if (!_full.IsAddingCompleted) _full.CompleteAdding();
            try { _worker.Wait(); } catch (AggregateException) { }
            _hash.Dispose();
        }
    }
}
