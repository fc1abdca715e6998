using System.Linq;
using ImageTools.Content.Yaml;
using Xunit;

namespace ImageTools.UnitTests.Content.Yaml
{
    public class YamlScanTests
    {
        [Fact]
        public void SplitsAtDocumentMarkersOnlyAtColumnZero()
        {
            string text = "a: 1\n---\nb: |\n  --- not a marker (indented)\n---   # comment\nc: 3\n...\n# trailing\n";
            var chunks = YamlDocumentSplitter.Split(text).ToList();
            Assert.Equal(new[] { 1, 2, 5, 8 }, chunks.Select(c => c.FirstLine));
            Assert.Equal(text, string.Concat(chunks.Select(c => c.Text)));
        }

        [Fact]
        public void LeadingMarkerAndCommentsStayWithTheirDocumentAndSourceIsKept()
        {
            string text = "---\n# Source: chart/templates/a.yaml\nkind: Pod\n---\n# Source: chart/templates/b.yaml\nkind: Pod\n";
            var chunks = YamlDocumentSplitter.Split(text).ToList();
            Assert.Equal(2, chunks.Count);
            Assert.Equal(new[] { "chart/templates/a.yaml", "chart/templates/b.yaml" }, chunks.Select(c => c.Source));
            Assert.Equal(new[] { 1, 4 }, chunks.Select(c => c.FirstLine));
        }

        [Fact]
        public void DirectivesStayWithTheFollowingDocument()
        {
            string text = "kind: Pod\n%YAML 1.2\n---\nkind: Job\n";
            var chunks = YamlDocumentSplitter.Split(text).ToList();
            Assert.Equal(new[] { 1, 2 }, chunks.Select(c => c.FirstLine));
        }

        [Fact]
        public void MalformedDocumentDoesNotHideTheNextOne()
        {
            string text = "kind: Pod\nspec:\n  containers:\n  - image: \"a:1\n bad\n---\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: b:2\n";
            var findings = ImageReferenceScanner.Scan(text, "f.yaml").ToList();
            Assert.Equal(FindingKind.MalformedDocument, findings[0].Kind);
            Assert.InRange(findings[0].Line, 1, 5);
            Assert.Equal(FindingKind.Reference, findings[1].Kind);
            Assert.Equal(12, findings[1].Line);
            Assert.Equal("docker.io/library/b:2", findings[1].Reference!.NormalizedReference);
        }

        [Fact]
        public void NestedListsAndCustomKindsWithAPodTemplate()
        {
            string text = "kind: List\nitems:\n- kind: DeploymentList\n  items:\n  - kind: Deployment\n    metadata: {name: d}\n    spec: {template: {spec: {containers: [{name: c, image: x}]}}}\n" +
                          "- kind: Rollout\n  metadata: {name: r, namespace: n}\n  spec:\n    template:\n      spec:\n        containers:\n        - {name: main, image: 'r.example.com/app@sha256:" + new string('a', 64) + "'}\n";
            var refs = ImageReferenceScanner.Scan(text, "f.yaml").Select(f => f.Reference!).ToList();
            Assert.Equal(new[] { "Deployment", "Rollout" }, refs.Select(r => r.Kind));
            Assert.Equal(new[] { 7, 14 }, refs.Select(r => r.Line));
            Assert.Equal("docker.io/library/x:latest", refs[0].NormalizedReference);
            Assert.Equal("r.example.com/app@sha256:" + new string('a', 64), refs[1].NormalizedReference);
            Assert.Equal("n", refs[1].Namespace);
        }

        [Fact]
        public void ComposeMergeKeysFromASequenceOfAnchors()
        {
            string text = "x-a: &a {image: 'first:1'}\nx-b: &b {restart: always}\nservices:\n  s:\n    <<: [*b, *a]\n";
            var found = ImageReferenceScanner.Scan(text, "compose.yaml").Single();
            Assert.Equal(FindingKind.Reference, found.Kind);
            Assert.Equal(1, found.Line);
            Assert.Equal("s", found.Reference!.ObjectName);
            Assert.Equal(ReferenceContainerType.Service, found.Reference.ContainerTypeValue);
        }

        [Theory]
        [InlineData("image: \"{{ .Values.image }}\"", "TemplatedReference")]
        [InlineData("image: {{ .Values.image }}", "TemplatedReference")]
        [InlineData("image: app:${TAG}", "TemplatedReference")]
        [InlineData("image: [a, b]", "InvalidReference")]
        [InlineData("image: ~", "InvalidReference")]
        [InlineData("image: App:1", "InvalidReference")]
        [InlineData("image: app:1", "Reference")]
        public void ClassifiesImageValues(string imageLine, string expected)
        {
            string text = "kind: Pod\nspec:\n  containers:\n  - name: c\n    " + imageLine + "\n";
            var found = ImageReferenceScanner.Scan(text, "p.yaml").Single();
            Assert.Equal(expected, found.Kind.ToString());
            Assert.Equal(5, found.Line);
            Assert.Contains("p.yaml:5:", found.Message);
        }
    }
}
