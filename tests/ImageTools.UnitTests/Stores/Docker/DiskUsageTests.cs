using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using ImageTools.Stores.Docker;
using Xunit;

namespace ImageTools.UnitTests.Stores.Docker
{
    public class DiskUsageTests
    {
        /// <summary>What <c>du -sB1</c> says about the folder (the reference the -Size tests compare with).</summary>
        private static long Du(string path)
        {
            var p = Process.Start(new ProcessStartInfo("du", $"-sB1 \"{path}\"") { RedirectStandardOutput = true })!;
            string output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            return long.Parse(output.Split('\t')[0]);
        }

        [Fact]
        public void Measures_a_tree_as_du_does_with_hard_links_once_and_symlinks_not_followed()
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux)) return;
            using var t = new TempFolder();
            Directory.CreateDirectory(Path.Combine(t.Path, "a", "b", "c"));
            File.WriteAllBytes(Path.Combine(t.Path, "a", "one"), new byte[5000]);
            File.WriteAllBytes(Path.Combine(t.Path, "a", "b", "two"), new byte[70000]);
            File.WriteAllBytes(Path.Combine(t.Path, "a", "b", "c", "three"), new byte[1]);
            Assert.Equal(0, LibC.link(Path.Combine(t.Path, "a", "b", "two"), Path.Combine(t.Path, "a", "c-two")));
            Assert.Equal(0, LibC.symlink("/usr", Path.Combine(t.Path, "a", "b", "usr")));
            Directory.CreateDirectory(Path.Combine(t.Path, "outside"));
            File.WriteAllBytes(Path.Combine(t.Path, "outside", "big"), new byte[1 << 20]);
            Assert.Equal(0, LibC.symlink("../outside", Path.Combine(t.Path, "a", "out")));

            string a = Path.Combine(t.Path, "a");
            DiskUsage.Measure(a, out long bytes, out long disk);

            Assert.Equal(Du(a), disk);
            // regular files once each (the hard link is the same file) plus the two symlinks' own lengths
            Assert.Equal(5000 + 70000 + 1 + "/usr".Length + "../outside".Length, bytes);
        }

        [Fact]
        public void A_missing_folder_measures_nothing()
        {
            using var t = new TempFolder();
            DiskUsage.Measure(Path.Combine(t.Path, "nothing"), out long bytes, out long disk);
            Assert.Equal(0, bytes);
            Assert.Equal(0, disk);
        }
    }
}
