using System.Linq;
using ImageTools.Graph;
using ImageTools.Oci;
using Xunit;

namespace ImageTools.UnitTests.Graph
{
    public class StoreGraphTests
    {
        [Theory]
        [InlineData(100, 3)]
        [InlineData(1000, 4)]
        public void ADagOfIndexesIsWalkedOncePerDistinctBlob(int fanOut, int depth)
        {
            var store = new MemoryStore();
            var manifest = store.AddImage();
            var top = store.AddIndex(manifest, fanOut, "amd64");
            for (int i = 1; i < depth; i++) top = store.AddIndex(top, fanOut);

            var walk = StoreGraph.Of(store).Walk(top);

            Assert.Empty(walk.Problems);
            Assert.Single(walk.Manifests);
            Assert.Equal(depth, walk.Indexes.Count);
            Assert.Equal("linux/amd64", walk.Manifests[0].Platform!.ToString());
            // every blob read once: the indexes and the manifest (the config is not read: the index gives the platform)
            Assert.Equal(depth + 1, store.Opens.Count);
            Assert.All(store.Opens.Values, n => Assert.Equal(1, n));
        }

        [Fact]
        public void ARootIsWalkedOnceAndItsConfigReadOnce()
        {
            var store = new MemoryStore();
            var manifest = store.AddImage();
            var graph = StoreGraph.Of(store);
            var first = graph.Walk(manifest);
            Assert.Same(first, graph.Walk(manifest));
            Assert.Same(graph, StoreGraph.Of(store));
            var config = graph.Config(first.Manifests[0].Manifest.Config);
            Assert.Same(config, graph.Config(first.Manifests[0].Manifest.Config));
            Assert.Equal("linux/amd64", first.Manifests[0].Platform!.ToString()); // from the config: no index
            Assert.All(store.Opens.Values, n => Assert.Equal(1, n));
        }

        [Fact]
        public void AMissingChildIsReportedAndItsSiblingsStillWalked()
        {
            var store = new MemoryStore();
            var present = store.AddImage("amd64", "a");
            var other = new MemoryStore().AddImage("arm64", "b"); // listed, but not in this store
            var index = store.Add("{\"schemaVersion\":2,\"manifests\":[" + MemoryStore.Json(other, "arm64") + "," + MemoryStore.Json(present, "amd64") + "]}", MediaTypes.OciIndex);

            var walk = StoreGraph.Of(store).Walk(index);

            Assert.Single(walk.Manifests);
            Assert.Equal(present.Digest, walk.Manifests[0].Descriptor.Digest);
            Assert.Equal(other.Digest, Assert.Single(walk.Unreadable).Digest);
            Assert.Equal(ErrorId.BlobNotFound, Assert.IsType<ImageToolsException>(Assert.Single(walk.Problems)).ErrorId);
        }

        [Fact]
        public void IndexesNestedTooDeepAreRefused()
        {
            var store = new MemoryStore();
            var top = store.AddImage();
            for (int i = 0; i < StoreGraph.MaxDepth + 2; i++) top = store.AddIndex(top, 1, i == 0 ? "amd64" : null);
            var walk = StoreGraph.Of(store).Walk(top);
            Assert.Empty(walk.Manifests);
            Assert.Contains(walk.Problems, p => p is ImageToolsException e && e.ErrorId == ErrorId.MalformedContent && e.Message.Contains("deep"));
        }
    }

    public class PlatformRuleTests
    {
        [Theory]
        [InlineData("arm64", "linux/arm64/v8")]
        [InlineData("aarch64", "linux/arm64/v8")]
        [InlineData("linux/arm64", "linux/arm64/v8")]
        [InlineData("amd64", "linux/amd64")]
        [InlineData("x86_64", "linux/amd64")]
        [InlineData("LINUX/AMD64", "linux/amd64")]
        [InlineData("armhf", "linux/arm/v7")]
        [InlineData("i386", "linux/386")]
        public void ParsesAsContainerdDoes(string text, string expected) =>
            Assert.Equal(expected, PlatformRule.Parse(text).ToString());

        [Theory]
        [InlineData("nosuch")]
        [InlineData("linux/")]
        [InlineData("a/b/c/d")]
        public void RefusesWhatIsNoPlatform(string text) =>
            Assert.Equal(ErrorId.InvalidReference, Assert.Throws<ImageToolsException>(() => PlatformRule.Parse(text)).ErrorId);

        [Theory]
        [InlineData("linux", "arm64", null, "arm64", true)]
        [InlineData("linux", "arm64", "v8", "arm64", true)]
        [InlineData("linux", "arm64", "v8", "linux/arm64/v8", true)]
        [InlineData("linux", "amd64", null, "arm64", false)]
        // containerd's platforms.Only matcher: the OS must match as well as the architecture
        [InlineData("windows", "amd64", null, "linux/amd64", false)]
        [InlineData("linux", "amd64", null, "windows/amd64", false)]
        [InlineData("linux", "amd64", "v3", "amd64", true)]
        [InlineData("linux", "arm", "v6", "linux/arm/v7", false)]
        public void MatchesNormalizedPlatforms(string os, string arch, string? variant, string wanted, bool expected) =>
            Assert.Equal(expected, PlatformRule.Satisfies(new Platform(os, arch, variant), PlatformRule.Parse(wanted)));
    }

    public class ImageNameRuleTests
    {
        private static readonly Digest A = Digest.Parse("sha256:" + new string('a', 64));
        private static readonly Digest B = Digest.Parse("sha256:" + new string('b', 64));
        private static readonly Digest IdA = Digest.Parse("sha256:1234a" + new string('0', 59));
        private static readonly Digest IdB = Digest.Parse("sha256:1234b" + new string('0', 59));

        private static ImageNameRule.Candidate<string>[] Containerd() => new[]
        {
            new ImageNameRule.Candidate<string>("short", new[] { "app:2.0" }, A, () => new[] { IdA }),
            new ImageNameRule.Candidate<string>("long", new[] { "docker.io/library/app:2.0" }, B, () => new[] { IdB }),
        };

        private static string[] Select(string value) =>
            ImageNameRule.Select(Containerd(), new[] { value }, e => throw e).Selected.Select(s => s.Item).ToArray();

        [Theory]
        [InlineData("app:2.0", new[] { "short" })]
        [InlineData("docker.io/library/app:2.0", new[] { "long" })]
        [InlineData("library/app:2.0", new[] { "short", "long" })]
        [InlineData("app", new[] { "short", "long" })]
        [InlineData("app:*", new[] { "short", "long" })]
        [InlineData("docker.io/*", new[] { "short", "long" })]
        [InlineData("1234a", new[] { "short" })]
        [InlineData("sha256:1234b", new[] { "long" })]
        [InlineData("app:3.0", new string[0])]
        [InlineData("123", new string[0])]
        public void TheRecordedNameWinsThenTheNormalizedOne(string value, string[] expected) =>
            Assert.Equal(expected, Select(value));

        [Fact]
        public void AllImagesAndWildcardsLeaveArtifactsOutButTheirExactNameOrDigestSelectsThem()
        {
            var sig = Digest.Parse("sha256:" + new string('c', 64));
            var candidates = Containerd().Append(new ImageNameRule.Candidate<string>("sig", new[] { "app:sha256-" + new string('a', 64) + ".sig" }, sig,
                () => new Digest[0], () => true)).ToArray();
            string[] Pick(params string[] values) => ImageNameRule.Select(candidates, values, e => throw e).Selected.Select(s => s.Item).ToArray();
            Assert.Equal(new[] { "short", "long" }, Pick());
            Assert.Equal(new[] { "short", "long" }, Pick("app:*"));
            Assert.Equal(new[] { "sig" }, Pick("app:sha256-" + new string('a', 64) + ".sig"));
            Assert.Equal(new[] { "sig" }, Pick(sig.ToString()));
        }

        [Fact]
        public void ADigestSelectsTheRootThenTheImageId()
        {
            Assert.Equal(new[] { "long" }, Select(B.ToString()));
            Assert.Equal(new[] { "short" }, Select(IdA.ToString()));
        }

        [Fact]
        public void AnAmbiguousPrefixIsAnErrorAndUnmatchedValuesAreListed()
        {
            ImageToolsException? error = null;
            var selection = ImageNameRule.Select(Containerd(), new[] { "1234", "nosuch:1", "app:2.0" }, e => error = e);
            Assert.Equal(ErrorId.InvalidReference, error!.ErrorId);
            Assert.Equal(new[] { "1234", "nosuch:1" }, selection.Unmatched);
            Assert.Equal("short", Assert.Single(selection.Selected).Item);
        }

        [Fact]
        public void ANameIsNotFoundOnlyWhenNoStoreHasIt()
        {
            var names = new UnmatchedNames(new[] { "a:1", "b:1" });
            names.Searched("one", new[] { "a:1", "b:1" });
            names.Searched("two", new[] { "b:1" });
            var error = Assert.Single(names.Errors());
            Assert.Equal(ErrorId.ImageNotFound, error.ErrorId);
            Assert.Contains("one, two", error.Message);
            Assert.Contains("'b:1'", error.Message);
        }

        [Theory]
        [InlineData("app:*", "app:2.0", true)]
        [InlineData("APP:*", "app:2.0", true)]
        [InlineData("m?lti*", "multi:latest", true)]
        [InlineData("[ab]pp:2.0", "app:2.0", true)]
        [InlineData("a`*", "a*", true)]
        [InlineData("a`*", "ab", false)]
        [InlineData("app:?", "app:2.0", false)]
        public void WildcardsFollowPowerShell(string pattern, string text, bool expected) =>
            Assert.Equal(expected, new Wildcard(pattern).IsMatch(text));
    }
}
