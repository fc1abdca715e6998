using System;
using System.Diagnostics;
using System.Threading;

namespace ImageTools.Stores.Docker
{
    /// <summary>
    /// Computes one result per index on a background thread, in index order, while the caller takes them in the same
    /// order: the caller's own work on each result overlaps the reading of the next ones. An index the thread has not
    /// started the caller computes itself; one the thread is computing the caller waits for, but only briefly (an item
    /// is a few small reads): on a busy machine the thread may be off the core in the middle of one, and waiting for it
    /// would make the caller as slow as the thread. So a result may be computed twice (the caller's is the one taken);
    /// the function given must not throw (it captures what fails in its result) and must give the same answer each
    /// time for the same index (a read of the same files).
    /// A thread the caller has caught up with goes on <see cref="Lead"/> indexes past the caller, not at the next one:
    /// the two then read different items until the caller reaches the thread's, instead of meeting on every next item
    /// (which, with 2,000 layers on two busy cores, had half of them read twice).
    /// </summary>
    internal sealed class ReadAhead<TResult> where TResult : class
    {
        private const int NotStarted = 0, Computing = 1, Done = 2, TakenByCaller = 3;
        /// <summary>How far past the caller's index a caught-up thread goes on.</summary>
        internal const int Lead = 16;
        private static readonly long WaitTicks = Stopwatch.Frequency / 5000; // 200 µs: several items' worth

        private readonly Func<int, TResult> _compute;
        private readonly TResult?[] _results;
        private readonly int[] _state;
        private volatile bool _stopped;
        private int _taken = -1; // the last index the caller took
        private readonly Thread? _thread;

        public ReadAhead(int count, Func<int, TResult> compute, string threadName)
        {
            _compute = compute;
            _results = new TResult?[count];
            _state = new int[count];
            if (count > 0)
            {
                _thread = new Thread(Work) { IsBackground = true, Name = threadName };
                _thread.Start();
            }
        }

        /// <summary>The result of <paramref name="index"/>: the thread's, or computed here when the thread has not started it or is slow to finish it.</summary>
        public TResult Take(int index)
        {
            Volatile.Write(ref _taken, index);
            int state = Interlocked.CompareExchange(ref _state[index], TakenByCaller, NotStarted);
            if (state == NotStarted) return _compute(index); // the thread skips it from now on
            if (state == Done) return _results[index]!;
            long deadline = Stopwatch.GetTimestamp() + WaitTicks;
            for (int spins = 0; Volatile.Read(ref _state[index]) != Done; spins++)
            {
                if (Stopwatch.GetTimestamp() > deadline) return _compute(index);
                if (spins < 10) Thread.SpinWait(20);
                else Thread.Yield(); // the thread may need this core to finish
            }
            return _results[index]!; // read after the state: the thread wrote the result before it
        }

        /// <summary>Stops the thread after the index it is computing.</summary>
        public void Stop() => _stopped = true;

        /// <summary>Stops the thread and waits until it has (an item's time at most): what it used may then be released.</summary>
        public void Finish()
        {
            _stopped = true;
            _thread?.Join();
        }

        private void Work()
        {
            for (int i = 0; i < _results.Length && !_stopped; i++)
            {
                // caught up by the caller: go on well past the index it takes; it computes the ones between itself
                int taken = Volatile.Read(ref _taken);
                if (i <= taken) i = taken + Lead;
                if (i >= _results.Length) return;
                if (Interlocked.CompareExchange(ref _state[i], Computing, NotStarted) != NotStarted) continue;
                _results[i] = _compute(i);
                Volatile.Write(ref _state[i], Done); // after the result: a caller that sees Done sees the result
            }
        }
    }
}
