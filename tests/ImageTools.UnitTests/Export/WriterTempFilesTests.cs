using System;
using System.Diagnostics;
using System.IO;
using ImageTools.Export;
using Xunit;

namespace ImageTools.UnitTests.Export
{
    /// <summary>Temp names with the writer's identity, the removal of those whose writer is gone, and the destination-in-source rule.</summary>
    public class WriterTempFilesTests : IDisposable
    {
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "it-temp-" + Guid.NewGuid().ToString("N"));

        public WriterTempFilesTests() => Directory.CreateDirectory(_dir);

        public void Dispose() => Directory.Delete(_dir, true);

        private static string StartTicks(int pid)
        {
            // proc(5): field 22 of /proc/<pid>/stat, after the parenthesized command name
            string s = File.ReadAllText($"/proc/{pid}/stat");
            return s.Substring(s.LastIndexOf(')') + 2).Split(' ')[19];
        }

        private static string PidNamespace()
        {
            string target = new FileInfo("/proc/self/ns/pid").LinkTarget!;   // "pid:[4026531836]"
            return target.Substring(5, target.Length - 6);
        }

        [Fact]
        public void A_temp_name_carries_this_process_id_and_start_time()
        {
            int pid = Environment.ProcessId;
            string name = Path.GetFileName(TempFiles.Beside(Path.Combine(_dir, "out.tar")));
            Assert.StartsWith($".out.tar.imagetools-{pid}-{StartTicks(pid)}-{PidNamespace()}-", name);
            Assert.EndsWith(".tmp", name);
        }

        [Fact]
        public void RemoveStale_removes_only_what_writers_that_are_gone_left()
        {
            int pid = Environment.ProcessId;
            string start = StartTicks(pid), ns = PidNamespace();
            using var gone = Process.Start("true")!;
            gone.WaitForExit();
            string mine = Path.Combine(_dir, $".a.tar.imagetools-{pid}-{start}-{ns}-0000aaaa.tmp");
            string reused = Path.Combine(_dir, $".a.tar.imagetools-{pid}-{long.Parse(start) + 1}-{ns}-0000bbbb.tmp");
            string dead = Path.Combine(_dir, $".root.imagetools-{gone.Id}-{start}-{ns}-0000cccc");
            string foreign = Path.Combine(_dir, ".a.tar.imagetools-0123456789ab.tmp");
            string lookalike = Path.Combine(_dir, $"a.tar.imagetools-{gone.Id}-{start}-{ns}-0000dddd.tmp");
            string elsewhere = Path.Combine(_dir, $".a.tar.imagetools-{gone.Id}-{start}-{long.Parse(ns) + 1}-0000eeee.tmp");
            foreach (var f in new[] { mine, reused, foreign, lookalike, elsewhere }) File.WriteAllText(f, "x");
            Directory.CreateDirectory(Path.Combine(dead, "usr"));
            File.WriteAllText(Path.Combine(dead, "usr", "x"), "x");

            TempFiles.RemoveStale(_dir);

            Assert.True(File.Exists(mine));
            Assert.False(File.Exists(reused));
            Assert.False(Directory.Exists(dead));
            Assert.True(File.Exists(foreign));
            Assert.True(File.Exists(lookalike));
            Assert.True(File.Exists(elsewhere));
        }

        [Fact]
        public void A_destination_inside_or_holding_the_source_is_refused_a_sibling_with_the_same_prefix_is_not()
        {
            string store = Path.Combine(_dir, "store");
            Directory.CreateDirectory(store);
            string link = Path.Combine(_dir, "link");
            File.CreateSymbolicLink(link, store);
            foreach (var dest in new[] { store, store + "/", Path.Combine(store, "x.tar"), Path.Combine(link, "new/deeper"), link, _dir })
            {
                var e = Assert.Throws<ImageToolsException>(() => SourceOverlap.Refuse(dest, new[] { store }));
                Assert.Equal(ErrorId.DestinationInsideSource, e.ErrorId);
            }
            SourceOverlap.Refuse(Path.Combine(_dir, "store2"), new[] { store });
            SourceOverlap.Refuse(Path.Combine(_dir, "store.tar"), new[] { store });
        }
    }
}
