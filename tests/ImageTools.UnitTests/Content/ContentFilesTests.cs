using System;
using System.Diagnostics;
using System.IO;
using ImageTools.Content;
using Xunit;

namespace ImageTools.UnitTests.Content
{
    public sealed class ContentFilesTests : IDisposable
    {
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "contentfiles-" + Guid.NewGuid().ToString("N"));

        public ContentFilesTests() { Directory.CreateDirectory(_dir); }
        public void Dispose() { Directory.Delete(_dir, true); }

        private static void Run(string file, params string[] args)
        {
            var info = new ProcessStartInfo(file) { UseShellExecute = false };
            foreach (var a in args) info.ArgumentList.Add(a);
            var p = Process.Start(info)!;
            p.WaitForExit();
            Assert.Equal(0, p.ExitCode);
        }

        [Fact]
        public void AFifoIsNotARegularFileAndIsNeverOpened()
        {
            string fifo = Path.Combine(_dir, "index.json");
            Run("mkfifo", fifo);
            // opened for reading without a writer, a FIFO would block this test forever
            var e = Assert.Throws<ImageToolsException>(() => ContentFiles.OpenRead(fifo));
            Assert.Equal(ErrorId.NotARegularFile, e.ErrorId);
            Assert.Contains("FIFO", e.Message);
            Assert.Equal(ErrorId.NotARegularFile, Assert.Throws<ImageToolsException>(() => ContentFiles.ReadAll(fifo, 100, "test")).ErrorId);
        }

        [Fact]
        public void ASymlinkToDevZeroIsACharacterDevice()
        {
            string link = Path.Combine(_dir, "manifest.json");
            File.CreateSymbolicLink(link, "/dev/zero");
            var e = Assert.Throws<ImageToolsException>(() => ContentFiles.ReadAll(link, 1 << 20, "test"));
            Assert.Equal(ErrorId.NotARegularFile, e.ErrorId);
            Assert.Contains("character device", e.Message);
        }

        [Fact]
        public void AFolderIsNotARegularFile()
        {
            Assert.Equal(ErrorId.NotARegularFile, Assert.Throws<ImageToolsException>(() => ContentFiles.OpenRead(_dir)).ErrorId);
        }

        [Fact]
        public void ASymlinkToARegularFileIsRead()
        {
            string target = Path.Combine(_dir, "target");
            File.WriteAllText(target, "{}");
            string link = Path.Combine(_dir, "link");
            File.CreateSymbolicLink(link, "target");
            Assert.Equal("{}", System.Text.Encoding.UTF8.GetString(ContentFiles.ReadAll(link, 10, "test")));
        }

        [Fact]
        public void ADocumentOverItsCapIsRefusedFromItsSizeAlone()
        {
            string sparse = Path.Combine(_dir, "index.json");
            using (var f = File.Create(sparse)) f.SetLength(3L << 30);
            var e = Assert.Throws<ImageToolsException>(() => ContentFiles.ReadAll(sparse, 16 << 20, "the index.json of a test"));
            Assert.Equal(ErrorId.ContentTooLarge, e.ErrorId);
            Assert.Contains(sparse, e.Message);
            Assert.Contains((16 << 20).ToString(), e.Message);
        }

        [Fact]
        public void AMissingFileIsFileNotFound()
        {
            Assert.Throws<FileNotFoundException>(() => ContentFiles.OpenRead(Path.Combine(_dir, "nothing")));
        }
    }
}
