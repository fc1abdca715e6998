using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.ExceptionServices;
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
        private readonly int _throttle;
        private readonly TransferProgress _progress;
        private readonly CancellationTokenSource _stop;
        private readonly ConcurrentDictionary<Digest, TaskCompletionSource<PrefetchedBlob>> _transfers = new ConcurrentDictionary<Digest, TaskCompletionSource<PrefetchedBlob>>();
        private readonly ConcurrentBag<string> _staged = new ConcurrentBag<string>();
        private Task _workers = Task.CompletedTask;
        private Exception? _firstFailure;

        public BlobPrefetch(IBlobSink sink, string tempDirectory, int throttle, TransferProgress progress, CancellationToken cancel)
        {
            _sink = sink;
            _tempDirectory = tempDirectory;
            _throttle = Math.Max(1, throttle);
            _progress = progress;
            _stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        }

        /// <summary>The stores whose blobs are worth moving in parallel: each read waits on a network.</summary>
        public static bool IsSlow(IImageStore store) => store.Kind == StoreKind.RemoteRegistry;

        /// <summary>Starts moving each blob (once per digest), in the order given; called once.</summary>
        public void Start(IEnumerable<(IImageStore Store, Descriptor Blob)> blobs)
        {
            var items = new List<(IImageStore Store, Descriptor Blob, TaskCompletionSource<PrefetchedBlob> Done)>();
            foreach (var (store, blob) in blobs)
            {
                if (_transfers.ContainsKey(blob.Digest)) continue;
                var done = new TaskCompletionSource<PrefetchedBlob>(TaskCreationOptions.RunContinuationsAsynchronously);
                _transfers[blob.Digest] = done;
                items.Add((store, blob, done));
            }
            if (items.Count == 0) return;
            _workers = TransferWorkers.Start(items, _throttle, item =>
            {
                try { item.Done.SetResult(Move(item.Store, item.Blob)); }
                catch (Exception e)
                {
                    _progress.Abandon(item.Blob.Digest);
                    if (!(e is OperationCanceledException)) Interlocked.CompareExchange(ref _firstFailure, e, null);
                    item.Done.TrySetException(e);
                    throw;
                }
            }, _stop.Token);
            // when the workers stop early, the blobs they did not start are cancelled, so that no Take waits for ever
            _workers.ContinueWith(_ => { foreach (var item in items) item.Done.TrySetCanceled(); }, TaskScheduler.Default);
        }

        /// <summary>Waits for the blob's transfer and hands it over (once); null when it was not moved ahead. Throws the first failure of any transfer.</summary>
        public PrefetchedBlob? Take(Digest digest)
        {
            if (!_transfers.TryRemove(digest, out var done)) return null;
            try { return done.Task.GetAwaiter().GetResult(); }
            catch (Exception) when (_firstFailure != null)
            {
                ExceptionDispatchInfo.Capture(_firstFailure).Throw();
                throw;
            }
        }

        private PrefetchedBlob Move(IImageStore store, Descriptor blob)
        {
            _stop.Token.ThrowIfCancellationRequested();
            return _sink.TakesParallelBlobs ? IntoSink(store, blob) : Stage(store, blob);
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
                long copied = BlobCopier.CopyToFile(content, file, _stop.Token, n => moving.Bytes = n);
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
            try { _workers.Wait(); }
            catch (AggregateException) { } // each failure was seen by Take, or does not matter any more
            foreach (var temp in _staged) TempFiles.Delete(temp);
            _stop.Dispose();
        }
    }
}
