using System;
using System.Formats.Tar;
using System.IO;
using System.Linq;
using ImageTools.Content;
using ImageTools.Export.Unpack;
using ImageTools.Oci;
using Xunit;
using TarReader = ImageTools.Content.TarReader;
using TarEntry = ImageTools.Content.TarEntry;
using NetEntryType = System.Formats.Tar.TarEntryType;

namespace ImageTools.UnitTests.Export.Unpack
{
    /// <summary>The merged-tree rules, on layers written by .NET's own TarWriter.</summary>
    public class RootfsTreeTests
    {
        private static readonly Digest D = Digest.Parse("sha256:" + new string('a', 64));

        private static byte[] Layer(params (string Name, NetEntryType Type, string Link)[] entries)
        {
            var ms = new MemoryStream();
            using (var w = new TarWriter(ms, TarEntryFormat.Pax, leaveOpen: true))
                foreach (var (name, type, link) in entries)
                {
                    var e = new PaxTarEntry(type, name);
                    if (type == NetEntryType.RegularFile) e.DataStream = new MemoryStream(new byte[] { 1, 2, 3 });
                    if (link.Length > 0) e.LinkName = link;
                    w.WriteEntry(e);
                }
            return ms.ToArray();
        }

        private static (string Name, NetEntryType, string) F(string n) => (n, NetEntryType.RegularFile, "");
        private static (string Name, NetEntryType, string) Dir(string n) => (n, NetEntryType.Directory, "");
        private static (string Name, NetEntryType, string) Sym(string n, string t) => (n, NetEntryType.SymbolicLink, t);
        private static (string Name, NetEntryType, string) Hard(string n, string t) => (n, NetEntryType.HardLink, t);

        private static RootfsTree Apply(params byte[][] layers)
        {
            var tree = new RootfsTree();
            for (int i = 0; i < layers.Length; i++)
            {
                var r = new TarReader(new MemoryStream(layers[i]), "test");
                TarEntry? e;
                while ((e = r.Next()) != null) tree.Apply(e, i, D);
            }
            return tree;
        }

        private static string[] Paths(RootfsTree t) => t.Walk().Select(n => "/" + n.RelativePath).ToArray();

        [Fact]
        public void WhiteoutRemovesLowerFileAndWholeFolder()
        {
            var t = Apply(Layer(Dir("a/"), F("a/x"), Dir("b/"), F("b/y"), F("b/z")), Layer(F("a/.wh.x"), F(".wh.b")));
            Assert.Equal(new[] { "/a" }, Paths(t));
        }

        [Fact]
        public void TheWhiteoutPrefixIsLowercaseOnly()
        {
            // image-spec layer.md: whiteouts are named ".wh." + name; ".WH.x" is an ordinary file and hides nothing
            var t = Apply(Layer(F("x"), Dir("d/"), F("d/y")), Layer(F(".WH.x"), F("d/.Wh.y")));
            Assert.Equal(new[] { "/.WH.x", "/d", "/d/.Wh.y", "/d/y", "/x" }, Paths(t).OrderBy(p => p, System.StringComparer.Ordinal).ToArray());
        }

        [Fact]
        public void WhiteoutDoesNotRemoveWhatTheSameLayerAdds()
        {
            var t = Apply(Layer(F("x"), F(".wh.x")));
            Assert.Equal(new[] { "/x" }, Paths(t));
        }

        [Fact]
        public void OpaqueKeepsSameLayerFilesWhereverTheMarkerIs()
        {
            var t = Apply(Layer(Dir("d/"), F("d/old"), Dir("d/sub/"), F("d/sub/old2")),
                          Layer(Dir("d/"), F("d/new"), F("d/.wh..wh..opq"), F("d/later")));
            Assert.Equal(new[] { "/d", "/d/later", "/d/new" }, Paths(t));
        }

        [Fact]
        public void HardLinkToItselfIsIgnoredAndHardLinksShareContent()
        {
            var t = Apply(Layer(F("a/f"), Hard("a/f", "a/f"), Hard("b/g", "a/f")));
            var g = t.Find("b/g")!;
            Assert.Same(t.Find("a/f")!.Content, g.Content);
            Assert.Equal(ImageTools.Content.TarEntryType.File, t.Find("a/f")!.TarType);
        }

        [Fact]
        public void RelativeSymlinkParentResolvesInsideTheRoot()
        {
            var t = Apply(Layer(Dir("usr/lib/"), Sym("lib", "usr/lib"), F("lib/x")));
            Assert.NotNull(t.Find("usr/lib/x"));
            Assert.NotEqual("lib/x", t.Find("lib/x")?.RelativePath);
        }

        [Theory]
        [InlineData("/", "evil/x")]
        [InlineData("../..", "evil/x")]
        [InlineData("/usr", "evil/x")]
        public void SymlinkParentLeavingTheRootIsRefused(string target, string entry)
        {
            var ex = Assert.Throws<ImageToolsException>(() => Apply(Layer(Dir("usr/"), Sym("evil", target), F(entry))));
            Assert.Equal(ErrorId.UnsafeEntryPath, ex.ErrorId);
            Assert.Contains("'" + entry + "'", ex.Message);
        }

        [Fact]
        public void HiddenFilesAreReportedWithTheHidingLayer()
        {
            var tree = new RootfsTree();
            var hidden = new System.Collections.Generic.List<(string, int, int)>();
            tree.OnHidden = (n, by) => hidden.Add((n.RelativePath, n.Layer, by));
            var layers = new[] { Layer(F("x"), F("y")), Layer(F("x")), Layer(F(".wh.y")) };
            for (int i = 0; i < layers.Length; i++)
            {
                var r = new TarReader(new MemoryStream(layers[i]), "t");
                TarEntry? e;
                while ((e = r.Next()) != null) tree.Apply(e, i, D);
            }
            Assert.Equal(new[] { ("x", 0, 1), ("y", 0, 2) }, hidden);
        }

        [Theory]
        [InlineData(NetEntryType.RegularFile, 0x1ED, "-rwxr-xr-x")]
        [InlineData(NetEntryType.Directory, 0x3FF, "drwxrwxrwt")]
        [InlineData(NetEntryType.RegularFile, 0x9ED, "-rwsr-xr-x")]
        [InlineData(NetEntryType.RegularFile, 0x5A4, "-rw-r-Sr--")]
        public void ModesPrintAsLs(NetEntryType type, int mode, string expected)
        {
            var t = type == NetEntryType.Directory ? ImageTools.Content.TarEntryType.Directory : ImageTools.Content.TarEntryType.File;
            Assert.Equal(expected, FileModes.ToSymbolic(t, mode));
        }
    }
}
