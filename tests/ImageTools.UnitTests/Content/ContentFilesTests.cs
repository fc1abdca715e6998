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

        [Theory]
        [InlineData(0)]
        [InlineData(1)]
        [InlineData(100_000)]
        public void ReadAllGivesTheWholeFile(int size)
        {
            string file = Path.Combine(_dir, "blob");
            var bytes = new byte[size];
            new Random(size).NextBytes(bytes);
            File.WriteAllBytes(file, bytes);
            Assert.Equal(bytes, ContentFiles.ReadAll(file, size, "test"));
            if (size > 0) Assert.Equal(ErrorId.ContentTooLarge, Assert.Throws<ImageToolsException>(() => ContentFiles.ReadAll(file, size - 1, "test")).ErrorId);
        }

        [Fact]
        public void ReadAllReadsPastTheSizeStatGaveAndKeepsTheCap()
        {
            // /proc files are regular files whose stat size is 0: what is read goes past what stat said, as a file
            // that grows while it is read
            const string status = "/proc/self/status";
            Assert.Equal(0, new FileInfo(status).Length);
            string text = System.Text.Encoding.UTF8.GetString(ContentFiles.ReadAll(status, 1 << 20, "test"));
            Assert.StartsWith("Name:", text);
            Assert.Contains("\nPid:", text);
            var e = Assert.Throws<ImageToolsException>(() => ContentFiles.ReadAll(status, 10, "test"));
            Assert.Equal(ErrorId.ContentTooLarge, e.ErrorId);
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
