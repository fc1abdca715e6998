using System.IO;
using System.Linq;
using ImageTools.Export;
using ImageTools.Oci;
using Xunit;

namespace ImageTools.UnitTests.Export
{
    /// <summary>The layout writer: a new layout appears whole at Commit; into an existing one, nothing new is visible before Commit and nothing is left after Dispose.</summary>
    public class LayoutDirectorySinkTests
    {
        private static void AddBase(LayoutDirectorySink sink)
        {
            foreach (var b in SinkInput.BaseBlobs()) SinkInput.AddBlob(sink, b);
            sink.AddFile("oci-layout", SinkInput.LayoutFile("oci-layout"));
            sink.AddFile("index.json", SinkInput.LayoutFile("index.json"));
        }

        [Fact]
        public void A_new_layout_appears_only_at_Commit_with_the_blobs_and_files_added()
        {
            using var dir = new TempFolder();
            string dest = Path.Combine(dir.Path, "layout");
            var blobs = SinkInput.BaseBlobs();
            using (var sink = new LayoutDirectorySink(dest))
            {
                AddBase(sink);
                Assert.False(Directory.Exists(dest));
                Assert.Null(sink.Commit());
            }
            var expected = new[] { "layout", "layout/blobs", "layout/blobs/sha256", "layout/index.json", "layout/oci-layout" }
                .Concat(blobs.Select(b => "layout/blobs/sha256/" + b.Substring(7))).OrderBy(e => e, System.StringComparer.Ordinal).ToArray();
            Assert.Equal(expected, dir.Entries());
            foreach (var b in blobs)
                Assert.Equal(b.Substring(7), FixtureFiles.Run("sha256sum", Path.Combine(dest, "blobs", "sha256", b.Substring(7))).Split(' ')[0]);
            Assert.Equal(SinkInput.LayoutFile("index.json"), File.ReadAllBytes(Path.Combine(dest, "index.json")));
        }

        [Fact]
        public void Dispose_without_Commit_of_a_new_layout_leaves_nothing()
        {
            using var dir = new TempFolder();
            using (var sink = new LayoutDirectorySink(Path.Combine(dir.Path, "layout"))) AddBase(sink);
            Assert.Empty(dir.Entries());
        }

        [Fact]
        public void Into_an_existing_layout_new_blobs_are_invisible_until_Commit_and_gone_after_Dispose()
        {
            using var dir = new TempFolder();
            string dest = Path.Combine(dir.Path, "layout");
            FixtureFiles.Run("cp", "-r", SinkInput.Layout, dest);
            string manifest = SinkInput.BaseBlobs()[0];
            string target = Path.Combine(dest, "blobs", "sha256", manifest.Substring(7));
            File.Delete(target);
            var before = dir.Entries();
            using (var sink = new LayoutDirectorySink(dest))
            {
                Assert.Equal(SinkInput.LayoutFile("index.json"), sink.ExistingIndex);
                SinkInput.AddBlob(sink, manifest);
                Assert.False(File.Exists(target));
            }
            Assert.Equal(before, dir.Entries());

            using (var sink = new LayoutDirectorySink(dest))
            {
                SinkInput.AddBlob(sink, manifest);
                sink.Commit();
            }
            Assert.Equal(File.ReadAllBytes(SinkInput.BlobFile(manifest)), File.ReadAllBytes(target));
            Assert.Equal(before.Append("layout/blobs/sha256/" + manifest.Substring(7)).OrderBy(e => e, System.StringComparer.Ordinal), dir.Entries());
        }

        [Fact]
        public void An_existing_blob_counts_as_present_only_when_it_hashes_to_its_digest()
        {
            using var dir = new TempFolder();
            string dest = Path.Combine(dir.Path, "layout");
            FixtureFiles.Run("cp", "-r", SinkInput.Layout, dest);
            var blobs = SinkInput.BaseBlobs();
            string good = blobs[1], bad = blobs[2];
            long goodSize = new FileInfo(SinkInput.BlobFile(good)).Length, badSize = new FileInfo(SinkInput.BlobFile(bad)).Length;
            var path = Path.Combine(dest, "blobs", "sha256", bad.Substring(7));
            var bytes = File.ReadAllBytes(path);
            bytes[bytes.Length / 2] ^= 0xFF;
            File.WriteAllBytes(path, bytes);
            using (var sink = new LayoutDirectorySink(dest))
            {
                Assert.True(sink.Has(Digest.Parse(good), goodSize));
                Assert.False(sink.Has(Digest.Parse(bad), badSize));
                Assert.Equal(1, sink.SkippedBlobs);
            }
            using (var sink = new LayoutDirectorySink(dest)) Assert.False(sink.Has(Digest.Parse(good), goodSize + 1));
        }

        [Fact]
        public void A_folder_that_is_not_empty_and_not_a_layout_is_DestinationExists()
        {
            using var dir = new TempFolder();
            File.WriteAllText(Path.Combine(dir.Path, "keep"), "x");
            var e = Assert.Throws<ImageToolsException>(() => new LayoutDirectorySink(dir.Path));
            Assert.Equal(ErrorId.DestinationExists, e.ErrorId);
            Assert.Equal(new[] { "keep" }, dir.Entries());
        }
    }
}
