using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using ImageTools.Stores.Docker;
using Xunit;

namespace ImageTools.UnitTests.Stores.Docker
{
    public class ReadAheadTests
    {
        [Fact]
        public void Every_index_is_taken_in_order_and_computed_at_most_twice_whether_the_thread_or_the_caller_reaches_it_first()
        {
            const int count = 2000;
            var calls = new int[count];
            var ahead = new ReadAhead<string>(count, i => { Interlocked.Increment(ref calls[i]); if (i % 7 == 0) Thread.Yield(); return "r" + i; }, "test read-ahead");
            var taken = Enumerable.Range(0, count).Select(ahead.Take).ToList();

            Assert.Equal(Enumerable.Range(0, count).Select(i => "r" + i), taken);
            Thread.Sleep(50); // the thread has nothing left to claim: nothing may be computed again meanwhile
            Assert.All(calls, c => Assert.InRange(c, 1, 2));
            Assert.True(calls.Count(c => c == 2) < count / 2, $"{calls.Count(c => c == 2)} of {count} computed twice: the thread and the caller read in step");
        }

        [Fact]
        public void A_thread_the_caller_caught_up_with_goes_on_Lead_indexes_past_it_and_leaves_the_ones_between_to_the_caller()
        {
            const int count = 200;
            var gate = new ManualResetEventSlim();
            var entered = new ManualResetEventSlim();
            var byThread = new List<int>();
            int callerThread = Thread.CurrentThread.ManagedThreadId;
            var ahead = new ReadAhead<string>(count, i =>
            {
                if (Thread.CurrentThread.ManagedThreadId != callerThread)
                {
                    if (i == 0) { entered.Set(); gate.Wait(); } // held inside index 0 while the caller takes 0 to 10
                    lock (byThread) byThread.Add(i);
                }
                return "r" + i;
            }, "test read-ahead");
            Assert.True(entered.Wait(10000), "the thread did not start on index 0");
            for (int i = 0; i <= 10; i++) Assert.Equal("r" + i, ahead.Take(i));
            gate.Set();
            var wait = Stopwatch.StartNew();
            while (wait.Elapsed.TotalSeconds < 10) { lock (byThread) if (byThread.Count >= 2) break; Thread.Sleep(1); }

            lock (byThread) Assert.Equal(new[] { 0, 10 + ReadAhead<string>.Lead }, byThread.Take(2));
            Assert.Equal(Enumerable.Range(11, count - 11).Select(i => "r" + i), Enumerable.Range(11, count - 11).Select(ahead.Take));
            lock (byThread) Assert.DoesNotContain(byThread, i => i > 10 && i < 10 + ReadAhead<string>.Lead);
        }

        [Fact]
        public void After_Stop_the_caller_computes_what_the_thread_did_not_reach()
        {
            var gate = new ManualResetEventSlim();
            var ahead = new ReadAhead<string>(3, i => { if (i == 0) gate.Wait(); return "r" + i; }, "test read-ahead");
            ahead.Stop();
            gate.Set();
            Assert.Equal(new[] { "r0", "r1", "r2" }, new[] { ahead.Take(0), ahead.Take(1), ahead.Take(2) });
        }
    }

    public class FolderEntriesTests
    {
        [Fact]
        public void Lists_what_ls_lists_and_tells_folders_from_symlinks_to_folders()
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux)) return;
            using var t = new TempFolder();
            for (int i = 0; i < 1500; i++) Directory.CreateDirectory(Path.Combine(t.Path, $"dir{i:D4}-{new string('x', 40)}"));
            File.WriteAllText(Path.Combine(t.Path, "file"), "x");
            Assert.Equal(0, LibC.symlink("dir0000-" + new string('x', 40), Path.Combine(t.Path, "link")));

            var entries = FolderEntries.Read(t.Path)!;

            var p = Process.Start(new ProcessStartInfo("ls", $"-A \"{t.Path}\"") { RedirectStandardOutput = true })!;
            var ls = p.StandardOutput.ReadToEnd().Split('\n').Where(l => l.Length > 0).ToList();
            p.WaitForExit();
            Assert.Equal(1502, ls.Count);
            Assert.Equal(ls.OrderBy(n => n, System.StringComparer.Ordinal), entries.Select(e => e.Name).OrderBy(n => n, System.StringComparer.Ordinal));
            var byName = entries.ToDictionary(e => e.Name);
            Assert.False(byName["link"].IsPlainDirectory);
            Assert.False(byName["file"].IsPlainDirectory);
            Assert.True(byName["dir0000-" + new string('x', 40)].IsPlainDirectory);
        }

        [Fact]
        public void A_folder_that_is_not_there_gives_null()
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux)) return;
            using var t = new TempFolder();
            Assert.Null(FolderEntries.Read(Path.Combine(t.Path, "missing")));
        }
    }
}
