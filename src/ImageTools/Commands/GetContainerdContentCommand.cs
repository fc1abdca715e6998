using System.Collections.Generic;
using System.Management.Automation;
using ImageTools.Oci;
using ImageTools.Stores.Containerd;

namespace ImageTools.Commands
{
    /// <summary>Lists containerd's content records (ctr content ls) with their labels decoded, read from the files without containerd.</summary>
    /// <remarks>
    /// Reads v1/&lt;namespace&gt;/content/blob of io.containerd.metadata.v1.bolt/meta.db without a lock (containerd may be
    /// running). Each record has its Digest, Size, CreatedAt, UpdatedAt, Labels (ordered by key) and what the labels
    /// say: UncompressedDigest (containerd.io/uncompressed), ConfigReference, LayerReferences and ChildReferences
    /// (containerd.io/gc.ref.content.*), SnapshotReference (containerd.io/gc.ref.snapshot.&lt;snapshotter&gt;) and
    /// DistributionSources (containerd.io/distribution.source.&lt;registry&gt;); Kind (Index, Manifest, Config, Layer) comes
    /// from those references; BlobPath and BlobExists tell whether the bytes are in the content store. The default
    /// view reads like ctr content ls: DIGEST SIZE AGE LABELS.
    /// </remarks>
    /// <example>
    /// <code>Get-ContainerdContent -Path /var/lib/containerd -Namespace k8s.io</code>
    /// <para>Lists the content records of the k8s.io namespace, like ctr -n k8s.io content ls.</para>
    /// </example>
    /// <example>
    /// <code>Get-ContainerdContent -Path /var/lib/containerd | Where-Object { -not $_.BlobExists }</code>
    /// <para>Finds records whose blob file is missing from the content store.</para>
    /// </example>
    /// <example>
    /// <code>Get-ContainerdContent -Path /var/lib/containerd -Namespace k8s.io -Digest 'sha256:5a25*' | Select-Object -ExpandProperty LayerReferences</code>
    /// <para>Shows the layers a manifest refers to.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "ContainerdContent", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(ContainerdContent))]
    public sealed class GetContainerdContentCommand : ContainerdCmdlet
    {
        /// <summary>Which namespaces (wildcards allowed); all when omitted.</summary>
        [Parameter]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(ContainerdNamespaceCompleter))]
        public string[]? Namespace { get; set; }

        /// <summary>Which records: a digest, a prefix of its hex (4 or more characters, with or without sha256:), or a wildcard pattern on the digest. All when omitted; a digest or prefix that matches nothing writes BlobNotFound.</summary>
        [Parameter(Position = 1)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(ContainerdContentDigestCompleter))]
        public string[]? Digest { get; set; }

        /// <summary>Only records of this kind.</summary>
        [Parameter]
        public ContainerdContentKind[]? Kind { get; set; }

        protected override void ProcessRecord()
        {
            // each value that is not a wildcard pattern selects the records whose digest text starts with it: a whole
            // digest, or a prefix of the hex (ImageNameRule.MinimumIdPrefix or more, with or without "sha256:")
            var prefixes = new List<(string Text, string Prefix)>();
            var patterns = new List<string>();
            foreach (var d in Digest ?? System.Array.Empty<string>())
            {
                if (WildcardPattern.ContainsWildcardCharacters(d)) { patterns.Add(d); continue; }
                if (HexPrefix(d) is string prefix) { prefixes.Add((d, prefix)); continue; }
                try { prefixes.Add((d, Oci.Digest.Parse(d).ToString())); }
                catch (InvalidDigestException e) { WriteFailure(e, d); }
            }
            if (Digest != null && Digest.Length > 0 && prefixes.Count == 0 && patterns.Count == 0) return;
            ForEachRoot(metadata =>
            {
                var reader = new ContainerdContentReader(metadata);
                var found = new HashSet<string>();
                foreach (var ns in SelectNamespaces(metadata, Namespace))
                {
                    foreach (var c in reader.Read(ns, Report))
                    {
                        if (Kind != null && Kind.Length > 0 && System.Array.IndexOf(Kind, c.KindValue) < 0) continue;
                        if (Digest != null && Digest.Length > 0 && !Selected(c.Digest, prefixes, patterns, found)) continue;
                        WriteObject(c);
                    }
                }
                foreach (var (text, _) in prefixes)
                    if (!found.Contains(text))
                        WriteError(ErrorRecords.Create(ErrorId.BlobNotFound,
                            $"No content record {text} in the selected namespaces of the containerd root {metadata.Root.RootPath}.", text));
            });
        }

        /// <summary>"sha256:&lt;hex&gt;" for a value that is lowercase hex of sha256 (a prefix or whole), with or without "sha256:"; null otherwise.</summary>
        private static string? HexPrefix(string value)
        {
            string hex = value.StartsWith("sha256:", System.StringComparison.Ordinal) ? value.Substring(7) : value;
            return hex.Length >= ImageTools.Graph.ImageNameRule.MinimumIdPrefix && hex.Length <= 64 && Hex.IsLowerHex(hex) ? "sha256:" + hex : null;
        }

        private static bool Selected(string digest, List<(string Text, string Prefix)> prefixes, List<string> patterns, HashSet<string> found)
        {
            bool hit = false;
            foreach (var (text, prefix) in prefixes)
                if (digest.StartsWith(prefix, System.StringComparison.Ordinal)) { found.Add(text); hit = true; }
            if (hit) return true;
            foreach (var p in patterns) if (Matches(p, digest)) return true;
            return false;
        }
    }
}
