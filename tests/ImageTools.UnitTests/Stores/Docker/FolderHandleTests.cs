using System.IO;
using System.Threading;
using ImageTools.Stores.Docker;
using Xunit;

namespace ImageTools.UnitTests.Stores.Docker
{
    public class FolderHandleTests
    {
        [Fact]
        public void A_file_read_relative_to_a_held_folder_reads_as_by_its_full_path_and_a_symlink_at_the_end_is_still_refused()
        {
            using var temp = new TempFolder();
            Directory.CreateDirectory(Path.Combine(temp.Path, "entry"));
            File.WriteAllText(Path.Combine(temp.Path, "entry", "cache-id"), "abc123");
            File.WriteAllText(Path.Combine(temp.Path, "secret"), "outside");
            File.CreateSymbolicLink(Path.Combine(temp.Path, "entry", "diff"), Path.Combine(temp.Path, "secret"));
            File.CreateSymbolicLink(Path.Combine(temp.Path, "entry", "link"), "../secret");

            using var handle = FolderHandle.TryOpen(temp.Path);
            Assert.NotNull(handle);
            Assert.Equal("abc123", UnixFile.ReadSmallText(handle, temp.Path, "entry", "cache-id", 4096));
            Assert.Equal(UnixFile.ReadSmallText(null, temp.Path, "entry", "cache-id", 4096), UnixFile.ReadSmallText(handle, temp.Path, "entry", "cache-id", 4096));
            Assert.Null(UnixFile.ReadSmallText(handle, temp.Path, "entry", "missing", 4096));
            // O_NOFOLLOW holds relative to the folder as it does by full path: the symlink is an error, its target is not read
            var e = Assert.ThrowsAny<IOException>(() => UnixFile.ReadSmallText(handle, temp.Path, "entry", "diff", 4096));
            Assert.Contains(Path.Combine(temp.Path, "entry", "diff"), e.Message);
            Assert.Equal("../secret", UnixFile.ReadLink(handle, temp.Path, "entry/link"));
        }

        [Fact]
        public void A_closed_handle_falls_back_to_the_full_path()
        {
            using var temp = new TempFolder();
            Directory.CreateDirectory(Path.Combine(temp.Path, "entry"));
            File.WriteAllText(Path.Combine(temp.Path, "entry", "parent"), "sha256:x");
            var handle = FolderHandle.TryOpen(temp.Path)!;
            handle.Dispose();
            Assert.Equal(-1, handle.Fd);
            Assert.Equal("sha256:x", UnixFile.ReadSmallText(handle, temp.Path, "entry", "parent", 4096));
        }

        [Fact]
        public void Finish_returns_only_once_the_thread_has_stopped()
        {
            var inside = new ManualResetEventSlim();
            int running = 0;
            var ahead = new ReadAhead<string>(1000, i =>
            {
                Interlocked.Increment(ref running);
                inside.Set();
                Thread.Sleep(20);
                Interlocked.Decrement(ref running);
                return "r" + i;
            }, "test read-ahead");
            Assert.True(inside.Wait(5000));
            ahead.Finish();
            Assert.Equal(0, Volatile.Read(ref running)); // nothing runs after Finish: a handle it used may be closed
        }
    }
}
