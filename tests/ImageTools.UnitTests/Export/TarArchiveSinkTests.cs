using System.IO;
using System.Linq;
using ImageTools.Export;
using Xunit;

namespace ImageTools.UnitTests.Export
{
    /// <summary>The archive writer: what GNU tar finds in what it wrote, nothing at the destination before Commit, no temp file after Dispose.</summary>
    public class TarArchiveSinkTests
    {
        [Fact]
        public void Commit_publishes_a_tar_whose_members_are_the_blobs_and_files_added_and_returns_its_sha256()
        {
            using var dir = new TempFolder();
            string dest = Path.Combine(dir.Path, "out.tar");
            var blobs = SinkInput.BaseBlobs();
            Assert.Equal(5, blobs.Count);
            object? digest;
            using (var sink = new TarArchiveSink(dest, overwrite: false))
            {
                sink.AddFile("oci-layout", SinkInput.LayoutFile("oci-layout"));
                foreach (var b in blobs) SinkInput.AddBlob(sink, b);
                sink.AddFile("index.json", SinkInput.LayoutFile("index.json"));
                Assert.False(File.Exists(dest));
                digest = sink.Commit();
            }
            Assert.Equal(new[] { "out.tar" }, dir.Entries());
            Assert.Equal(FixtureFiles.Run("sha256sum", dest).Split(' ')[0], digest!.ToString()!.Substring(7));

            var expectedMembers = new[] { "oci-layout", "blobs/", "blobs/sha256/" }
                .Concat(blobs.Select(b => "blobs/sha256/" + b.Substring(7))).Append("index.json").ToArray();
            Assert.Equal(expectedMembers, FixtureFiles.Run("tar", "-tf", dest).Split('\n', System.StringSplitOptions.RemoveEmptyEntries));
            using var extracted = new TempFolder();
            FixtureFiles.Run("tar", "-xf", dest, "-C", extracted.Path);
            foreach (var b in blobs)
                Assert.Equal(File.ReadAllBytes(SinkInput.BlobFile(b)), File.ReadAllBytes(Path.Combine(extracted.Path, "blobs", "sha256", b.Substring(7))));
            Assert.Equal(SinkInput.LayoutFile("index.json"), File.ReadAllBytes(Path.Combine(extracted.Path, "index.json")));
        }

        [Fact]
        public void Dispose_without_Commit_leaves_nothing_and_keeps_an_existing_archive()
        {
            using var dir = new TempFolder();
            string dest = Path.Combine(dir.Path, "out.tar");
            using (var sink = new TarArchiveSink(dest, overwrite: true))
            {
                foreach (var b in SinkInput.BaseBlobs()) SinkInput.AddBlob(sink, b);
                Assert.Single(dir.Entries()); // the temp file, beside the destination
            }
            Assert.Empty(dir.Entries());

            File.WriteAllText(dest, "old");
            using (var sink = new TarArchiveSink(dest, overwrite: true)) SinkInput.AddBlob(sink, SinkInput.BaseBlobs()[0]);
            Assert.Equal(new[] { "out.tar" }, dir.Entries());
            Assert.Equal("old", File.ReadAllText(dest));
        }

        [Fact]
        public void A_blob_shorter_than_its_size_is_SizeMismatch_and_nothing_is_left()
        {
            using var dir = new TempFolder();
            string dest = Path.Combine(dir.Path, "out.tar");
            string digest = SinkInput.BaseBlobs()[0];
            using (var sink = new TarArchiveSink(dest, overwrite: false))
            {
                using var content = File.OpenRead(SinkInput.BlobFile(digest));
                var e = Assert.Throws<ImageToolsException>(() =>
                    sink.AddBlob(ImageTools.Oci.Digest.Parse(digest), content.Length + 1, content, default, null));
                Assert.Equal(ErrorId.SizeMismatch, e.ErrorId);
            }
            Assert.Empty(dir.Entries());
        }
    }
}
