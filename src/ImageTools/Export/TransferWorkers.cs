using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;

namespace ImageTools.Export
{
    /// <summary>
    /// Runs blob transfers on threads of their own, up to a count at once, taking the items in order. Not on the
    /// thread pool: a transfer blocks on the network and the disk, and pool threads blocked that way starve the
    /// asynchronous I/O beneath them (on two cores the pool starts with two threads and adds more slowly). The first
    /// failure stops the items not yet started and is the one the returned task ends with.
    /// </summary>
    internal static class TransferWorkers
    {
        public static Task Start<T>(IReadOnlyList<T> items, int count, Action<T> work, CancellationToken cancel)
        {
            var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            Exception? first = null;
            int next = -1;
            var workers = Enumerable.Range(0, Math.Max(1, Math.Min(count, items.Count))).Select(_ => Task.Factory.StartNew(() =>
            {
                int i;
                while (!stop.IsCancellationRequested && (i = Interlocked.Increment(ref next)) < items.Count)
                {
                    try { work(items[i]); }
                    catch (Exception e)
                    {
                        if (!(e is OperationCanceledException) && Interlocked.CompareExchange(ref first, e, null) == null) stop.Cancel();
                        if (first == null) throw;
                        return;
                    }
                }
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
            return Task.WhenAll(workers).ContinueWith(all =>
            {
                stop.Dispose();
                if (first != null) ExceptionDispatchInfo.Capture(first).Throw();
                if (all.IsFaulted) ExceptionDispatchInfo.Capture(all.Exception!.InnerExceptions.First()).Throw();
                cancel.ThrowIfCancellationRequested();
            }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        /// <summary>Runs every item and returns when all are done; throws the first failure.</summary>
        public static void Run<T>(IReadOnlyList<T> items, int count, Action<T> work, CancellationToken cancel) =>
            Start(items, count, work, cancel).GetAwaiter().GetResult();
    }
}
