using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using ImageTools.Stores.Registry;
using Xunit;

namespace ImageTools.UnitTests.Stores.Registry
{
    /// <summary>Work done on background threads comes back in the items' order, failures at their turn.</summary>
    public sealed class OrderedWorkersTests
    {
        [Fact]
        public void ResultsComeInTheItemsOrderWhateverOrderTheWorkFinishesIn()
        {
            var items = Enumerable.Range(0, 300).ToList();
            var threads = new HashSet<int>();
            using var workers = new OrderedWorkers<int, int>(items, i =>
            {
                lock (threads) threads.Add(Environment.CurrentManagedThreadId);
                if (i % 7 == 0) Thread.Sleep(2); // later items finish first
                return i * 10;
            }, workers: 3, lookAhead: 16);
            var results = workers.Results().ToList();
            Assert.Equal(items.Select(i => i * 10), results);
            Assert.DoesNotContain(Environment.CurrentManagedThreadId, threads);
        }

        [Fact]
        public void AFailureIsRethrownWhenItsTurnComesAfterTheResultsBeforeIt()
        {
            var items = Enumerable.Range(0, 50).ToList();
            using var workers = new OrderedWorkers<int, int>(items, i => i == 20 ? throw new InvalidOperationException("item 20") : i, workers: 2);
            var seen = new List<int>();
            var e = Assert.Throws<InvalidOperationException>(() => { foreach (var r in workers.Results()) seen.Add(r); });
            Assert.Equal("item 20", e.Message);
            Assert.Equal(Enumerable.Range(0, 20), seen);
        }

        [Fact]
        public void WorkersStayWithinTheLookAheadAndStopWhenDisposed()
        {
            var items = Enumerable.Range(0, 1000).ToList();
            int started = 0;
            var workers = new OrderedWorkers<int, int>(items, i => { Interlocked.Increment(ref started); return i; }, workers: 2, lookAhead: 8);
            Assert.Equal(0, workers.Results().First());
            Thread.Sleep(200);
            Assert.InRange(Volatile.Read(ref started), 1, 1 + 8);
            workers.Dispose();
            int stopped = Volatile.Read(ref started);
            Thread.Sleep(100);
            Assert.Equal(stopped, Volatile.Read(ref started));
        }

        [Fact]
        public void NoItemsGiveNoResults()
        {
            using var workers = new OrderedWorkers<int, int>(new List<int>(), i => i, workers: 2);
            Assert.Empty(workers.Results());
        }
    }
}
