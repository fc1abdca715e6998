using System;
using System.Collections.Generic;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace ImageTools.Stores.Docker
{
    /// <summary>
    /// Measures folders with <see cref="DiskUsage"/> on a few background threads, several at once, while the caller
    /// takes the results in the order it queued them (so that it can write each object as soon as its own folder is
    /// done). Waiting blocks without spinning: on a busy machine a spinning waiter takes the core from the walkers.
    /// </summary>
    internal sealed class ParallelDiskUsage : IDisposable
    {
        private readonly object _gate = new object();
        private readonly Queue<Measurement> _queue = new Queue<Measurement>();
        private readonly int _workers;
        private readonly bool _idleOnly;
        private int _started;
        private bool _stopped, _hurried;

        /// <summary>One queued folder; <see cref="ParallelDiskUsage.Wait"/> blocks until it is measured.</summary>
        public sealed class Measurement
        {
            internal Measurement(string folder, string name, string? leaf) { Folder = folder; Name = name; Leaf = leaf; }

            /// <summary>The folder measured is Folder/Name/Leaf (Leaf may be null): no path string is made per folder.</summary>
            public string Folder { get; }
            public string Name { get; }
            public string? Leaf { get; }
            public long Bytes { get; internal set; }
            public long Disk { get; internal set; }
            internal bool Done;
            internal ExceptionDispatchInfo? Failure;
        }

        /// <param name="workers">How many folders are walked at once (at least one).</param>
        /// <param name="idleOnly">
        /// Walk at the lowest CPU priority (nice 19), taking only the time nothing else of ours (or anyone's) wants: for
        /// walks started before the listing that waits for them is ready to, so that they never slow its reading.
        /// </param>
        public ParallelDiskUsage(int workers, bool idleOnly = false) { _workers = Math.Max(1, workers); _idleOnly = idleOnly; }

        /// <summary>One walker per core, at least two: a walk waits on the file system as much as it computes.</summary>
        public static int DefaultWorkers => Math.Min(8, Math.Max(2, Environment.ProcessorCount));

        public Measurement Add(string folder, string name, string? leaf)
        {
            var m = new Measurement(folder, name, leaf);
            lock (_gate)
            {
                if (_stopped) throw new ObjectDisposedException(nameof(ParallelDiskUsage));
                _queue.Enqueue(m);
                if (_started < _workers && _started < _queue.Count)
                {
                    _started++;
                    StartWalker(_idleOnly);
                }
                else Monitor.PulseAll(_gate);
            }
            return m;
        }

        /// <summary>Waits until <paramref name="m"/> is measured; rethrows what its walk failed with. False when stopped first.</summary>
        public bool Wait(Measurement m)
        {
            lock (_gate)
            {
                while (!m.Done && !_stopped) Monitor.Wait(_gate);
                if (!m.Done) return false;
            }
            m.Failure?.Throw();
            return true;
        }

        /// <summary>
        /// Adds as many walkers again at normal priority, once: for when the caller starts waiting for the walks that
        /// were started idle-only (those go on too, on whatever time is left).
        /// </summary>
        public void Hurry()
        {
            lock (_gate)
            {
                if (!_idleOnly || _hurried || _stopped) return;
                _hurried = true;
                for (int i = 0; i < _workers; i++)
                {
                    _started++;
                    StartWalker(idleOnly: false);
                }
            }
        }

        private void StartWalker(bool idleOnly) =>
            new Thread(() => Work(idleOnly)) { IsBackground = true, Name = "ImageTools disk usage" }.Start();

        private void Work(bool idleOnly)
        {
            if (idleOnly) LowestPriority();
            while (true)
            {
                Measurement m;
                lock (_gate)
                {
                    while (_queue.Count == 0 && !_stopped) Monitor.Wait(_gate);
                    if (_stopped) { _started--; return; }
                    m = _queue.Dequeue();
                }
                try
                {
                    DiskUsage.Measure(m.Folder, m.Name, m.Leaf, out long bytes, out long disk, out _);
                    m.Bytes = bytes;
                    m.Disk = disk;
                }
                catch (Exception e) { m.Failure = ExceptionDispatchInfo.Capture(e); }
                lock (_gate)
                {
                    m.Done = true;
                    Monitor.PulseAll(_gate);
                }
            }
        }

        /// <summary>Lowers this thread's nice value to 19 (which needs no privilege); nothing where libc cannot.</summary>
        private static void LowestPriority()
        {
            try { LibC.setpriority(LibC.PrioProcess, LibC.gettid(), 19); }
            catch (Exception e) when (e is EntryPointNotFoundException || e is DllNotFoundException) { }
        }

        /// <summary>Stops the walkers: what is queued and not started is dropped, and waiters return.</summary>
        public void Dispose()
        {
            lock (_gate)
            {
                _stopped = true;
                _queue.Clear();
                Monitor.PulseAll(_gate);
            }
        }
    }
}
