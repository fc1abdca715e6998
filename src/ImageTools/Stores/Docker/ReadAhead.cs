using System;
using System.Threading;

namespace ImageTools.Stores.Docker
{
    /// <summary>
    /// Computes one result per index on a background thread, in index order, while the caller takes them in the same
    /// order: the caller's own work on each result overlaps the reading of the next ones. An index the thread has not
    /// reached yet the caller computes itself, so nothing is computed twice and nothing waits longer than its own work.
    /// The function given must not throw (it captures what fails in its result).
    /// </summary>
    internal sealed class ReadAhead<TResult> where TResult : class
    {
        private readonly Func<int, TResult> _compute;
        private readonly TResult?[] _results;
        private readonly int[] _state; // 0 not started, 1 being computed, 2 done
        private readonly object _gate = new object();
        private volatile bool _stopped;

        public ReadAhead(int count, Func<int, TResult> compute, string threadName)
        {
            _compute = compute;
            _results = new TResult?[count];
            _state = new int[count];
            if (count > 0) new Thread(Work) { IsBackground = true, Name = threadName }.Start();
        }

        /// <summary>The result of <paramref name="index"/>, computed here when the thread has not started it.</summary>
        public TResult Take(int index)
        {
            if (Interlocked.CompareExchange(ref _state[index], 1, 0) == 0) return Compute(index);
            lock (_gate) while (Volatile.Read(ref _state[index]) != 2) Monitor.Wait(_gate);
            return _results[index]!;
        }

        /// <summary>Stops the thread after the index it is computing.</summary>
        public void Stop() => _stopped = true;

        private void Work()
        {
            for (int i = 0; i < _results.Length && !_stopped; i++)
                if (Interlocked.CompareExchange(ref _state[i], 1, 0) == 0) Compute(i);
        }

        private TResult Compute(int index)
        {
            var result = _compute(index);
            lock (_gate)
            {
                _results[index] = result;
                Volatile.Write(ref _state[index], 2);
                Monitor.PulseAll(_gate);
            }
            return result;
        }
    }
}
