using System;
using System.Diagnostics;
using System.IO;
using ImageTools.Stores;
using ImageTools.Stores.Docker;
using Xunit;

namespace ImageTools.UnitTests.Stores
{
    /// <summary>A store root is a closed room: symlinks out of it are refused, FIFOs are never opened.</summary>
    public sealed class StoreBoundaryTests : IDisposable
    {
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "imagetools-boundary-" + Guid.NewGuid().ToString("N"));
        private readonly string _root;
        private readonly string _outside;

        public StoreBoundaryTests()
        {
            _root = Directory.CreateDirectory(Path.Combine(_dir, "root")).FullName;
            _outside = Directory.CreateDirectory(Path.Combine(_dir, "outside")).FullName;
            File.WriteAllText(Path.Combine(_outside, "secret"), "outside");
            File.WriteAllText(Path.Combine(_root, "inside"), "inside");
        }

        public void Dispose() => Directory.Delete(_dir, true);

        private static void Run(string file, params string[] args)
        {
            var p = Process.Start(new ProcessStartInfo(file, string.Join(" ", args)) { UseShellExecute = false })!;
            p.WaitForExit();
            Assert.Equal(0, p.ExitCode);
        }

        [Fact]
        public void Remembering_folders_still_refuses_a_symlink_out_in_a_folder_checked_before_and_a_folder_swapped_for_one()
        {
            if (!OperatingSystem.IsLinux()) return;
            var b = new StoreBoundary(_root, rememberFolders: true);
            string layers = Directory.CreateDirectory(Path.Combine(_root, "layers", "a")).FullName;
            File.WriteAllText(Path.Combine(layers, "cache-id"), "x");
            Assert.True(b.IsInside(Path.Combine(layers, "cache-id")));   // remembers layers/a
            Assert.True(b.IsInside(Path.Combine(layers, "missing")));
            File.CreateSymbolicLink(Path.Combine(layers, "out"), Path.Combine(_outside, "secret"));
            Assert.False(b.IsInside(Path.Combine(layers, "out")));
            Assert.Equal(ErrorId.PathOutsideStore, Assert.Throws<ImageToolsException>(() => b.Check(Path.Combine(layers, "out"), "link")).ErrorId);
            Directory.CreateSymbolicLink(Path.Combine(_root, "layers", "b"), _outside);
            Assert.False(b.IsInside(Path.Combine(_root, "layers", "b")));
            Assert.False(b.IsInside(Path.Combine(_root, "layers", "b", "secret")));
        }

        [Fact]
        public void A_symlink_out_of_the_root_is_PathOutsideStore_and_one_inside_is_read()
        {
            if (!OperatingSystem.IsLinux()) return;
            File.CreateSymbolicLink(Path.Combine(_root, "out"), Path.Combine(_outside, "secret"));
            File.CreateSymbolicLink(Path.Combine(_root, "up"), "../outside/secret");
            File.CreateSymbolicLink(Path.Combine(_root, "in"), "inside");
            var boundary = new StoreBoundary(_root);
            foreach (var name in new[] { "out", "up" })
            {
                var e = Assert.Throws<ImageToolsException>(() => boundary.ReadFile(Path.Combine(_root, name), "test file"));
                Assert.Equal(ErrorId.PathOutsideStore, e.ErrorId);
                Assert.Contains(Path.Combine(_root, name), e.Message);
            }
            Assert.Equal("inside", System.Text.Encoding.UTF8.GetString(boundary.ReadFile(Path.Combine(_root, "in"), "test file")));
            Assert.False(boundary.IsInside(Path.Combine(_root, "up", "..", "..")));
            Assert.True(boundary.IsInside(Path.Combine(_root, "not-yet", "there")));
        }

        [Fact]
        public void A_fifo_is_NotARegularFile_at_once_and_never_blocks()
        {
            if (!OperatingSystem.IsLinux()) return;
            string fifo = Path.Combine(_root, "fifo");
            Run("mkfifo", fifo);
            var boundary = new StoreBoundary(_root);
            var watch = Stopwatch.StartNew();
            Assert.Equal(ErrorId.NotARegularFile, Assert.Throws<ImageToolsException>(() => boundary.ReadFile(fifo, "test file")).ErrorId);
            Assert.Equal(ErrorId.NotARegularFile, Assert.Throws<ImageToolsException>(() => UnixFile.ReadSmallText(fifo)).ErrorId);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5));
        }
    }
}
