using System;
using System.Collections.Generic;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace ImageTools.Stores.Registry
{
    /// <summary>
    /// Runs one piece of work per item on a few background threads and hands the results back in the items' order,
    /// each as soon as it and those before it are done (a cmdlet writes its objects as they come, on its own
    /// thread). The workers keep at most <c>lookAhead</c> results ahead of the reader; waiting blocks, never spins
    /// (on a busy machine a spinning waiter takes the core from the workers). Disposing stops the workers.
    /// </summary>
    internal sealed class OrderedWorkers<TIn, TOut> : IDisposable
    {
        private readonly object _gate = new object();
        private readonly IReadOnlyList<TIn> _items;
        private readonly Func<TIn, TOut> _work;
        private readonly TOut[] _results;
        private readonly ExceptionDispatchInfo?[] _failures;
        private readonly bool[] _done;
        private readonly int _lookAhead;
        private int _next;     // the next item a worker takes
        private int _reading;  // the item the reader waits for
        private bool _stopped;

        public OrderedWorkers(IReadOnlyList<TIn> items, Func<TIn, TOut> work, int workers, int lookAhead = 64)
        {
            _items = items;
            _work = work;
            _results = new TOut[items.Count];
            _failures = new ExceptionDispatchInfo?[items.Count];
            _done = new bool[items.Count];
            _lookAhead = Math.Max(1, lookAhead);
            for (int i = 0; i < Math.Min(Math.Max(1, workers), items.Count); i++)
                new Thread(Work) { IsBackground = true, Name = "ImageTools ordered worker" }.Start();
        }

        /// <summary>Two workers where there are two cores or more: the work waits on the file system as much as it computes.</summary>
        public static int DefaultWorkers => Math.Min(4, Math.Max(1, Environment.ProcessorCount));

        /// <summary>The results in the items' order; rethrows what a piece of work failed with when its turn comes.</summary>
        public IEnumerable<TOut> Results()
        {
            for (int i = 0; i < _results.Length; i++)
            {
                lock (_gate)
                {
                    _reading = i;
                    Monitor.PulseAll(_gate);
                    while (!_done[i]) Monitor.Wait(_gate);
                }
                _failures[i]?.Throw();
                var result = _results[i];
                _results[i] = default!;
                yield return result;
            }
        }

        private void Work()
        {
            while (true)
            {
                int i;
                lock (_gate)
                {
                    while (!_stopped && _next < _items.Count && _next >= _reading + _lookAhead) Monitor.Wait(_gate);
                    if (_stopped || _next >= _items.Count) return;
                    i = _next++;
                }
                TOut result = default!;
                ExceptionDispatchInfo? failure = null;
                try { result = _work(_items[i]); }
                catch (Exception e) { failure = ExceptionDispatchInfo.Capture(e); }
                lock (_gate)
                {
                    _results[i] = result;
                    _failures[i] = failure;
                    _done[i] = true;
                    Monitor.PulseAll(_gate);
                }
            }
        }

        public void Dispose()
        {
            lock (_gate)
            {
                _stopped = true;
                Monitor.PulseAll(_gate);
            }
        }
    }
}
