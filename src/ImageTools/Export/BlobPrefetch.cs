using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ImageTools.Oci;
using ImageTools.Stores;

namespace ImageTools.Export
{
    /// <summary>What became of a blob moved ahead of the save.</summary>
    internal enum PrefetchedKind
    {
        /// <summary>The destination had it already (verified).</summary>
        Present,
        /// <summary>Written into the destination (a layout takes blobs from several threads).</summary>
        Added,
        /// <summary>In a verified temporary file, for the saver to copy into the archive in order.</summary>
        Staged,
    }

    internal sealed class PrefetchedBlob
    {
        public PrefetchedBlob(PrefetchedKind kind, string? stagedFile = null)
        {
            Kind = kind;
            StagedFile = stagedFile;
        }

        public PrefetchedKind Kind { get; }
        public string? StagedFile { get; }
    }

    /// <summary>
    /// Moves the blobs a save copies unchanged from slow stores (registries over HTTP), up to a throttle at once, while
    /// the saver goes through the images in order. Each blob streams from its store, verified as it arrives: into a
    /// layout it goes straight to its temporary file there; for an archive (a tar is written strictly in order) into a
    /// temporary file beside the destination, which the saver then copies into the tar and deletes. The first failure
    /// stops the other transfers and is the one the saver sees; <see cref="Dispose"/> waits for every transfer to stop
    /// and deletes what is staged, so that the sink's own clean-up then leaves nothing behind.
    /// </summary>
    internal sealed class BlobPrefetch : IDisposable
    {
        private readonly IBlobSink _sink;
        private readonly string _tempDirectory;
        private readonly TransferProgress _progress;
        private readonly CancellationTokenSource _stop;
        private readonly SemaphoreSlim _gate;
        private readonly ConcurrentDictionary<Digest, Task<PrefetchedBlob>> _transfers = new ConcurrentDictionary<Digest, Task<PrefetchedBlob>>();
        private readonly ConcurrentBag<string> _staged = new ConcurrentBag<string>();
        private readonly List<Task> _all = new List<Task>();
        private Exception? _firstFailure;

        public BlobPrefetch(IBlobSink sink, string tempDirectory, int throttle, TransferProgress progress, CancellationToken cancel)
        {
            _sink = sink;
            _tempDirectory = tempDirectory;
            _progress = progress;
            _stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            _gate = new SemaphoreSlim(Math.Max(1, throttle));
        }

        /// <summary>The stores whose blobs are worth moving in parallel: each read waits on a network.</summary>
        public static bool IsSlow(IImageStore store) => store.Kind == StoreKind.RemoteRegistry;

        /// <summary>Starts moving each blob (once per digest), in the order given.</summary>
        public void Start(IEnumerable<(IImageStore Store, Descriptor Blob)> blobs)
        {
            foreach (var (store, blob) in blobs)
            {
                if (_transfers.ContainsKey(blob.Digest)) continue;
                var task = Task.Run(() => Move(store, blob));
                _transfers[blob.Digest] = task;
                _all.Add(task);
            }
        }

        /// <summary>Waits for the blob's transfer and hands it over (once); null when it was not moved ahead. Throws the first failure of any transfer.</summary>
        public PrefetchedBlob? Take(Digest digest)
        {
            if (!_transfers.TryRemove(digest, out var task)) return null;
            try { return task.GetAwaiter().GetResult(); }
            catch (OperationCanceledException) when (_firstFailure != null) { throw Rethrown(); }
            catch (Exception) when (_firstFailure != null) { throw Rethrown(); }
        }

        private Exception Rethrown()
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(_firstFailure!).Throw();
            return _firstFailure!;
        }

        private async Task<PrefetchedBlob> Move(IImageStore store, Descriptor blob)
        {
            await _gate.WaitAsync(_stop.Token).ConfigureAwait(false);
            try
            {
                return _sink.TakesParallelBlobs ? IntoSink(store, blob) : Stage(store, blob);
            }
            catch (Exception e)
            {
                _progress.Abandon(blob.Digest);
                if (!(e is OperationCanceledException) && Interlocked.CompareExchange(ref _firstFailure, e, null) == null) _stop.Cancel();
                throw;
            }
            finally { _gate.Release(); }
        }

        private PrefetchedBlob IntoSink(IImageStore store, Descriptor blob)
        {
            if (_sink.Has(blob.Digest, blob.Size))
            {
                _progress.Finish(blob.Digest, blob.Size);
                return new PrefetchedBlob(PrefetchedKind.Present);
            }
            using var content = BlobReader.OpenVerified(store, blob, hashInBackground: blob.Size > (4 << 20));
            var moving = _progress.Start(blob.Digest, blob.Size);
            _sink.AddBlob(blob.Digest, blob.Size, content, _stop.Token, n => moving.Bytes = n);
            _progress.Finish(blob.Digest, blob.Size);
            return new PrefetchedBlob(PrefetchedKind.Added);
        }

        private PrefetchedBlob Stage(IImageStore store, Descriptor blob)
        {
            string temp = TempFiles.In(_tempDirectory, "blob");
            _staged.Add(temp);
            using (var content = BlobReader.OpenVerified(store, blob, hashInBackground: blob.Size > (4 << 20)))
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                var moving = _progress.Start(blob.Digest, blob.Size);
                var pool = BlobCopier.NewPool(1);
                long copied = BlobCopier.Copy(content, pool, (b, n) => { file.Write(b, 0, n); pool.Add(b); }, _stop.Token, n => moving.Bytes = n);
                if (copied != blob.Size)
                    throw new ImageToolsException(ErrorId.SizeMismatch, $"Blob {blob.Digest} gave {copied} bytes, expected {blob.Size}.", blob.Digest.ToString());
            }
            _progress.Finish(blob.Digest, blob.Size);
            return new PrefetchedBlob(PrefetchedKind.Staged, temp);
        }

        /// <summary>Stops what still moves, waits for it, and deletes every staged file.</summary>
        public void Dispose()
        {
            _stop.Cancel();
            try { Task.WaitAll(_all.ToArray()); }
            catch (AggregateException) { } // each failure was seen by Take, or does not matter any more
            foreach (var temp in _staged) TempFiles.Delete(temp);
            _stop.Dispose();
            _gate.Dispose();
        }
    }
}
