using System;
using System.Diagnostics;
using System.IO;
using ImageTools.Stores.Registry;
using Xunit;

namespace ImageTools.UnitTests.Stores.Registry
{
    /// <summary>Registry storage as a closed room: what is read and deleted stays inside docker/registry/v2.</summary>
    public sealed class RegistryRoomTests : IDisposable
    {
        private readonly string _top;
        private readonly string _root;
        private readonly string _outside;
        private readonly RegistryRoom _room;

        public RegistryRoomTests()
        {
            _top = Path.Combine(Path.GetTempPath(), "registry-room-" + Guid.NewGuid().ToString("N"));
            _root = Path.Combine(_top, "docker", "registry", "v2");
            _outside = Path.Combine(_top, "outside");
            Directory.CreateDirectory(Path.Combine(_root, "blobs", "sha256"));
            Directory.CreateDirectory(Path.Combine(_root, "repositories", "base", "_manifests"));
            Directory.CreateDirectory(_outside);
            File.WriteAllText(Path.Combine(_outside, "file"), "outside");
            File.WriteAllText(Path.Combine(_root, "inside"), "inside");
            _room = new RegistryRoom(_root);
        }

        public void Dispose() => Directory.Delete(_top, recursive: true);

        private static void Fifo(string path)
        {
            using var p = Process.Start(new ProcessStartInfo("mkfifo", path) { UseShellExecute = false })!;
            p.WaitForExit();
            Assert.Equal(0, p.ExitCode);
        }

        private static void Symlink(string path, string target)
        {
            using var p = Process.Start(new ProcessStartInfo("ln") { ArgumentList = { "-s", target, path }, UseShellExecute = false })!;
            p.WaitForExit();
            Assert.Equal(0, p.ExitCode);
        }

        [Fact]
        public void ReadsARegularFileAndSaysWhenNothingIsThere()
        {
            Assert.True(_room.IsReadableFile(Path.Combine(_root, "inside"), "Link"));
            Assert.False(_room.IsReadableFile(Path.Combine(_root, "missing"), "Link"));
        }

        [Fact]
        public void AFifoIsNotARegularFileAndIsNeverOpened()
        {
            string fifo = Path.Combine(_root, "fifo");
            Fifo(fifo);
            var e = Assert.Throws<ImageToolsException>(() => _room.IsReadableFile(fifo, "Link"));
            Assert.Equal(ErrorId.NotARegularFile, e.ErrorId);
            Assert.Contains("FIFO", e.Message);
        }

        [Fact]
        public void AFolderIsNotARegularFile() =>
            Assert.Equal(ErrorId.NotARegularFile, Assert.Throws<ImageToolsException>(() => _room.IsReadableFile(Path.Combine(_root, "blobs"), "Link")).ErrorId);

        [Fact]
        public void ASymlinkOutIsRefusedAndOneInsideIsFollowed()
        {
            string outLink = Path.Combine(_root, "out");
            Symlink(outLink, Path.Combine(_outside, "file"));
            var e = Assert.Throws<ImageToolsException>(() => _room.IsReadableFile(outLink, "Link"));
            Assert.Equal(ErrorId.PathOutsideStore, e.ErrorId);

            string inLink = Path.Combine(_root, "in");
            Symlink(inLink, "inside");
            Assert.True(_room.IsReadableFile(inLink, "Link"));
        }

        [Fact]
        public void AFolderOnTheWayThatLeadsOutIsRefused()
        {
            // blobs/sha256/ab -> outside: a path below it lstat's fine but is not in the room.
            Symlink(Path.Combine(_root, "blobs", "sha256", "ab"), _outside);
            string through = Path.Combine(_root, "blobs", "sha256", "ab", "file");
            Assert.Equal(ErrorId.PathOutsideStore, Assert.Throws<ImageToolsException>(() => _room.IsReadableFile(through, "Blob data")).ErrorId);
            var reported = new System.Collections.Generic.List<ImageToolsException>();
            Assert.Empty(_room.Folders(Path.Combine(_root, "blobs", "sha256"), reported.Add));
            Assert.Equal(ErrorId.PathOutsideStore, Assert.Single(reported).ErrorId);
            Assert.Equal(ErrorId.PathOutsideStore, Assert.Throws<ImageToolsException>(() => _room.RequireNoSymlinkOnTheWay(through)).ErrorId);
        }

        [Fact]
        public void NothingIsDeletedThroughASymlinkEvenOneThatStaysInside()
        {
            Symlink(Path.Combine(_root, "repositories", "alias"), Path.Combine(_root, "repositories", "base"));
            string through = Path.Combine(_root, "repositories", "alias", "_manifests");
            Assert.Equal(ErrorId.PathOutsideStore, Assert.Throws<ImageToolsException>(() => _room.RequireNoSymlinkOnTheWay(through)).ErrorId);
            _room.RequireNoSymlinkOnTheWay(Path.Combine(_root, "repositories", "base", "_manifests"));
            Assert.Equal(ErrorId.PathOutsideStore, Assert.Throws<ImageToolsException>(() => _room.RequireNoSymlinkOnTheWay(_outside)).ErrorId);
            Assert.Equal(ErrorId.PathOutsideStore,
                Assert.Throws<ImageToolsException>(() => _room.RequireNoSymlinkOnTheWay(Path.Combine(_root, "repositories", "..", "..", "v2x"))).ErrorId);
        }

        [Fact]
        public void TheRoomOfARepositoryFolderIsItsStorage()
        {
            var room = RegistryRoom.OfRepository("org/team/app", Path.Combine(_root, "repositories", "org", "team", "app"));
            Assert.Equal(_root, room.Root);
            Assert.Throws<ArgumentException>(() => RegistryRoom.OfRepository("base", Path.Combine(_root, "repositories", "other")));
        }
    }
}
