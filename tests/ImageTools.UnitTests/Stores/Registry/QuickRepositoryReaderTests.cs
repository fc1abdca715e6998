using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using ImageTools.Stores.Registry;
using Xunit;

namespace ImageTools.UnitTests.Stores.Registry
{
    /// <summary>
    /// The quick way reads a plain repository folder as the checked way does, and declines (null: the checked way
    /// then reports) as soon as anything is unusual.
    /// </summary>
    public sealed class QuickRepositoryReaderTests : IDisposable
    {
        private readonly string _top;
        private readonly string _root;
        private readonly string _repo;
        private readonly RegistryRoom _room;
        private readonly string[] _hex = { new string('a', 64), new string('b', 64), new string('c', 64) };

        public QuickRepositoryReaderTests()
        {
            _top = Path.Combine(Path.GetTempPath(), "registry-quick-" + Guid.NewGuid().ToString("N"));
            _root = Path.Combine(_top, "docker", "registry", "v2");
            _repo = Path.Combine(_root, "repositories", "org", "app");
            Link(Path.Combine(_repo, "_manifests", "revisions", "sha256", _hex[0]), _hex[0]);
            Link(Path.Combine(_repo, "_manifests", "revisions", "sha256", _hex[1]), _hex[1]);
            Directory.CreateDirectory(Path.Combine(_repo, "_manifests", "revisions", "sha256", _hex[2])); // a deleted revision
            Link(Path.Combine(_repo, "_manifests", "tags", "v1", "current"), _hex[1]);
            Link(Path.Combine(_repo, "_manifests", "tags", "v1", "index", "sha256", _hex[0]), _hex[0]);
            Link(Path.Combine(_repo, "_manifests", "tags", "v1", "index", "sha256", _hex[1]), _hex[1]);
            Link(Path.Combine(_repo, "_manifests", "tags", "latest", "current"), _hex[0]);
            Link(Path.Combine(_repo, "_layers", "sha256", _hex[2]), _hex[2]);
            Directory.CreateDirectory(Path.Combine(_repo, "_uploads", "0f1e2d"));
            _room = new RegistryRoom(_root);
        }

        public void Dispose() => Directory.Delete(_top, recursive: true);

        private static void Link(string folder, string hex)
        {
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, "link"), "sha256:" + hex);
        }

        private static void Run(string tool, params string[] args)
        {
            var start = new ProcessStartInfo(tool) { UseShellExecute = false };
            foreach (var a in args) start.ArgumentList.Add(a);
            using var p = Process.Start(start)!;
            p.WaitForExit();
            Assert.Equal(0, p.ExitCode);
        }

        private static string Describe(RegistryRepositoryContents c) => string.Join("\n", new[]
        {
            "name " + c.Name + " " + c.Directory,
            "revisions " + string.Join(" ", c.Revisions.Select(l => l.Digest + "@" + l.Directory)),
            "layers " + string.Join(" ", c.LayerLinks.Select(l => l.Digest + "@" + l.Directory)),
            "uploads " + string.Join(" ", c.Uploads),
        }.Concat(c.Tags.Select(t => "tag " + t.Name + " " + t.Directory + " " + t.Current + " " + string.Join(" ", t.History.Select(h => h.Digest + "@" + h.Directory)))));

        [Fact]
        public void APlainFolderReadsAsTheCheckedWayReadsIt()
        {
            var problems = new List<ImageToolsException>();
            var checkedWay = RegistryRepositoryContents.LoadChecked("org/app", _repo, problems.Add, _room);
            Assert.Empty(problems);
            Assert.Equal(2, checkedWay.Revisions.Count);
            Assert.Equal(new[] { "latest", "v1" }, checkedWay.Tags.Select(t => t.Name));

            var quick = QuickRepositoryReader.TryLoad("org/app", _repo, _room);
            Assert.NotNull(quick);
            Assert.Equal(Describe(checkedWay), Describe(quick!));
        }

        public static IEnumerable<object[]> Unusual() => new[]
        {
            new object[] { "a link that is a symlink inside the storage" },
            new object[] { "a folder on the way that is a symlink" },
            new object[] { "a link that is a FIFO" },
            new object[] { "an empty link" },
            new object[] { "a link ending in a newline" },
            new object[] { "a link naming another digest" },
            new object[] { "a stray file among the tags" },
            new object[] { "a tag without current/link" },
            new object[] { "a tag name the grammar refuses" },
            new object[] { "a folder name that is not a digest" },
        };

        [Theory]
        [MemberData(nameof(Unusual))]
        public void AnythingUnusualIsLeftToTheCheckedWay(string what)
        {
            string revisions = Path.Combine(_repo, "_manifests", "revisions", "sha256");
            string tags = Path.Combine(_repo, "_manifests", "tags");
            string layerLink = Path.Combine(_repo, "_layers", "sha256", _hex[2], "link");
            switch (what)
            {
                case "a link that is a symlink inside the storage":
                    File.Delete(layerLink);
                    Run("ln", "-s", Path.Combine(revisions, _hex[0], "link"), layerLink);
                    break;
                case "a folder on the way that is a symlink":
                    Directory.Move(Path.Combine(_repo, "_layers"), Path.Combine(_repo, "layers-real"));
                    Run("ln", "-s", "layers-real", Path.Combine(_repo, "_layers"));
                    break;
                case "a link that is a FIFO":
                    File.Delete(layerLink);
                    Run("mkfifo", layerLink);
                    break;
                case "an empty link": File.WriteAllText(layerLink, ""); break;
                case "a link ending in a newline": File.WriteAllText(layerLink, "sha256:" + _hex[2] + "\n"); break;
                case "a link naming another digest": File.WriteAllText(layerLink, "sha256:" + _hex[0]); break;
                case "a stray file among the tags": File.WriteAllText(Path.Combine(tags, "stray"), ""); break;
                case "a tag without current/link": File.Delete(Path.Combine(tags, "latest", "current", "link")); break;
                case "a tag name the grammar refuses": Directory.Move(Path.Combine(tags, "latest"), Path.Combine(tags, ".latest")); break;
                case "a folder name that is not a digest": Directory.CreateDirectory(Path.Combine(revisions, "zz")); break;
                default: throw new ArgumentException(what);
            }
            Assert.Null(QuickRepositoryReader.TryLoad("org/app", _repo, _room));
            var problems = new List<ImageToolsException>();
            var checkedWay = RegistryRepositoryContents.Load("org/app", _repo, problems.Add, _room);
            if (what != "a link that is a symlink inside the storage" && what != "a folder on the way that is a symlink")
                Assert.NotEmpty(problems);
            Assert.Equal("org/app", checkedWay.Name);
        }

        [Fact]
        public void AFolderReachedThroughASymlinkIsLeftToTheCheckedWay()
        {
            string linked = Path.Combine(_root, "repositories", "alias");
            Run("ln", "-s", "org", linked);
            Assert.Null(QuickRepositoryReader.TryLoad("alias/app", Path.Combine(linked, "app"), _room));
        }
    }
}
