using System;
using System.Collections.Concurrent;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using ImageTools.Content;
using ImageTools.Oci;

namespace ImageTools.Export
{
    /// <summary>
    /// Writes to a file and digests everything written, each on a thread of its own, so that neither waits for the
    /// other nor for the caller, who reads and verifies the input meanwhile. A blob's own digest (verify while
    /// copying) is a second SHA-256 pass over the same buffers: it has a third thread, or it would double the archive
    /// hasher's work and make it the slowest step. Writes keep their order; a pooled buffer goes back to its pool once
    /// it is written and hashed.
    /// </summary>
    internal sealed class BackgroundHashingWriter : IDisposable
    {
        private const int QueueDepth = 8;
        private readonly Stream _output;
        private readonly BlockingCollection<Block> _toWrite = new BlockingCollection<Block>(QueueDepth);
        private readonly BlockingCollection<Block> _toHash = new BlockingCollection<Block>(QueueDepth);
        private readonly BlockingCollection<Block> _toHashAlso = new BlockingCollection<Block>(QueueDepth);
        private readonly System.Security.Cryptography.IncrementalHash _hash = DigestAlgorithms.Create(Digest.Sha256);
        private readonly Task _writer;
        private readonly Task _hasher;
        private readonly Task _blobHasher;
        private Exception? _failure;
        private long _written;

        private sealed class Block
        {
            public Block(byte[] buffer, int count, BlockingCollection<byte[]>? returnTo, System.Security.Cryptography.IncrementalHash? alsoHash = null)
            {
                Buffer = buffer;
                Count = count;
                ReturnTo = returnTo;
                AlsoHash = alsoHash;
                Pending = alsoHash == null ? 2 : 3;
            }

            public readonly byte[] Buffer;
            public readonly int Count;
            public readonly BlockingCollection<byte[]>? ReturnTo;
            /// <summary>A blob's own hash, updated from the same buffer on the blob hashing thread (verify while copying).</summary>
            public readonly System.Security.Cryptography.IncrementalHash? AlsoHash;
            /// <summary>Set on a marker block: completed once every block queued before it is hashed.</summary>
            public TaskCompletionSource<bool>? Hashed;
            /// <summary>The threads still to see the block: writer, hasher, and the blob hasher when <see cref="AlsoHash"/> is set.</summary>
            public int Pending;
        }

        public long Written => Interlocked.Read(ref _written);

        public BackgroundHashingWriter(Stream output)
        {
            _output = output;
            _writer = Task.Factory.StartNew(() =>
            {
                foreach (var block in _toWrite.GetConsumingEnumerable())
                {
                    try
                    {
                        if (_failure == null)
                        {
                            // in the writes BlobCopier measured: a 1 MiB write into the page cache often costs several times its 128 KiB pieces
                            for (int at = 0; at < block.Count; at += BlobCopier.FileWriteSize)
                                _output.Write(block.Buffer, at, Math.Min(BlobCopier.FileWriteSize, block.Count - at));
                            Interlocked.Add(ref _written, block.Count);
                        }
                    }
                    catch (Exception e) { _failure = e; }
                    finally { Release(block); }
                }
            }, TaskCreationOptions.LongRunning);
            _hasher = Task.Factory.StartNew(() =>
            {
                foreach (var block in _toHash.GetConsumingEnumerable())
                {
                    _hash.AppendData(block.Buffer, 0, block.Count);
                    Release(block);
                }
            }, TaskCreationOptions.LongRunning);
            _blobHasher = Task.Factory.StartNew(() =>
            {
                foreach (var block in _toHashAlso.GetConsumingEnumerable())
                {
                    if (block.Hashed != null)
                    {
                        block.Hashed.SetResult(true);
                        continue;
                    }
                    // a blob given up half-way (a size mismatch) has its hash disposed while its last blocks wait here
                    try { block.AlsoHash!.AppendData(block.Buffer, 0, block.Count); }
                    catch (ObjectDisposedException) { }
                    finally { Release(block); }
                }
            }, TaskCreationOptions.LongRunning);
        }

        /// <summary>Queues a copy of the bytes (small writes: headers, padding, JSON files).</summary>
        public void Write(byte[] data, int offset, int count)
        {
            var copy = new byte[count];
            Buffer.BlockCopy(data, offset, copy, 0, count);
            Enqueue(new Block(copy, count, null));
        }

        /// <summary>Queues a pooled buffer without copying; it is added back to <paramref name="returnTo"/> once written and hashed.</summary>
        /// <param name="buffer">A buffer of <paramref name="returnTo"/>.</param>
        /// <param name="count">How many of its bytes to write.</param>
        /// <param name="returnTo">The pool it goes back to once written and hashed.</param>
        /// <param name="alsoHash">Also fed the bytes, on the hashing thread, in order (the blob's own digest).</param>
        public void WritePooled(byte[] buffer, int count, BlockingCollection<byte[]> returnTo, System.Security.Cryptography.IncrementalHash? alsoHash = null) =>
            Enqueue(new Block(buffer, count, returnTo, alsoHash));

        /// <summary>Waits until every byte queued so far for a blob's own hash is hashed (so that hash is complete).</summary>
        public void WaitHashed()
        {
            if (_failure != null) throw new IOException("Writing the archive failed: " + _failure.Message, _failure);
            var marker = new Block(Array.Empty<byte>(), 0, null) { Hashed = new TaskCompletionSource<bool>() };
            _toHashAlso.Add(marker);
            marker.Hashed.Task.GetAwaiter().GetResult();
        }

        private void Enqueue(Block block)
        {
            if (_failure != null) throw new IOException("Writing the archive failed: " + _failure.Message, _failure);
            _toWrite.Add(block);
            _toHash.Add(block);
            if (block.AlsoHash != null) _toHashAlso.Add(block);
        }

        private static void Release(Block block)
        {
            if (Interlocked.Decrement(ref block.Pending) == 0) block.ReturnTo?.Add(block.Buffer);
        }

        /// <summary>Waits for every queued write and returns the digest of all bytes written.</summary>
        public Digest Complete()
        {
            _toWrite.CompleteAdding();
            _toHash.CompleteAdding();
            _toHashAlso.CompleteAdding();
            _writer.GetAwaiter().GetResult();
            _hasher.GetAwaiter().GetResult();
            _blobHasher.GetAwaiter().GetResult();
            if (_failure != null) throw new IOException("Writing the archive failed: " + _failure.Message, _failure);
            _output.Flush();
            return Digest.FromBytes(Digest.Sha256, _hash.GetHashAndReset());
        }

        public void Dispose()
        {
            if (!_toWrite.IsAddingCompleted) _toWrite.CompleteAdding();
            if (!_toHash.IsAddingCompleted) _toHash.CompleteAdding();
            if (!_toHashAlso.IsAddingCompleted) _toHashAlso.CompleteAdding();
            try { Task.WaitAll(_writer, _hasher, _blobHasher); } catch (AggregateException) { }
            _hash.Dispose();
            _toWrite.Dispose();
            _toHash.Dispose();
            _toHashAlso.Dispose();
        }
    }
}
