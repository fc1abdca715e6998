using System;
using System.Threading;

namespace ImageTools.Stores.Docker
{
    /// <summary>
    /// Computes one result per index on a background thread, in index order, while the caller takes them in the same
    /// order: the caller's own work on each result overlaps the reading of the next ones. An index the thread has not
    /// finished the caller computes itself rather than wait: on a busy machine the thread may be off the core for a
    /// while in the middle of one, and waiting for it would make the caller as slow as the thread. So a result may be
    /// computed twice (the caller's is the one taken); the function given must not throw (it captures what fails in
    /// its result) and must give the same answer each time for the same index (a read of the same files).
    /// </summary>
    internal sealed class ReadAhead<TResult> where TResult : class
    {
        private readonly Func<int, TResult> _compute;
        private readonly TResult?[] _results;
        private readonly int[] _state; // 0 not started, 1 being computed (or taken by the caller), 2 done
        private volatile bool _stopped;
        private int _taken = -1; // the last index the caller took

        public ReadAhead(int count, Func<int, TResult> compute, string threadName)
        {
            _compute = compute;
            _results = new TResult?[count];
            _state = new int[count];
            if (count > 0) new Thread(Work) { IsBackground = true, Name = threadName }.Start();
        }

        /// <summary>The result of <paramref name="index"/>, computed here when the thread has not finished it.</summary>
        public TResult Take(int index)
        {
            Volatile.Write(ref _taken, index);
            if (Volatile.Read(ref _state[index]) == 2) return _results[index]!;
            Interlocked.Exchange(ref _state[index], 1); // the thread skips it from now on
            return _compute(index);
        }

        /// <summary>Stops the thread after the index it is computing.</summary>
        public void Stop() => _stopped = true;

        private void Work()
        {
            for (int i = 0; i < _results.Length && !_stopped; i++)
            {
                // caught up by the caller: jump past the next index it takes, else both would read the same ones in step
                int taken = Volatile.Read(ref _taken);
                if (i <= taken) i = taken + 2;
                if (i >= _results.Length) return;
                if (Interlocked.CompareExchange(ref _state[i], 1, 0) == 0) Compute(i);
            }
        }

        private void Compute(int index)
        {
            _results[index] = _compute(index);
            Volatile.Write(ref _state[index], 2); // after the result: a caller that sees 2 sees the result
        }
    }
}
