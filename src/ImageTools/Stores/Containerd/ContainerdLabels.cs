using System;
using System.Collections.Generic;
using ImageTools.Oci;

namespace ImageTools.Stores.Containerd
{
    /// <summary>
    /// The label keys containerd uses to tie content together (containerd:pkg/labels, core/metadata/gc.go,
    /// docs/garbage-collection.md) and their decoding into the typed properties of <see cref="ContainerdContent"/>.
    /// </summary>
    public static class ContainerdLabels
    {
        public const string Uncompressed = "containerd.io/uncompressed";
        public const string ContentRefPrefix = "containerd.io/gc.ref.content.";
        public const string ConfigRef = "containerd.io/gc.ref.content.config";
        public const string LayerRefPrefix = "containerd.io/gc.ref.content.l.";
        public const string ManifestRefPrefix = "containerd.io/gc.ref.content.m.";
        public const string SnapshotRefPrefix = "containerd.io/gc.ref.snapshot.";
        public const string DistributionSourcePrefix = "containerd.io/distribution.source.";
        public const string CriKind = "io.cri-containerd.kind";

        /// <summary>Fills the typed properties from the labels; <paramref name="problem"/> hears about labels whose values are not digests.</summary>
        internal static void Decode(ContainerdContent c, Action<string> problem, Dictionary<string, Digest>? known = null)
        {
            if (!c.HasLabels) return;
            List<IndexedDigest>? layers = null;
            List<IndexedDigest>? children = null;
            foreach (var kv in c.Labels)
            {
                string key = kv.Key;
                if (key == Uncompressed) c.UncompressedDigestValue = DigestOf(kv, c, problem, known);
                else if (key == ConfigRef) c.ConfigReferenceValue = DigestOf(kv, c, problem, known);
                else if (key.StartsWith(LayerRefPrefix, StringComparison.Ordinal)) AddIndexed(ref layers, key, LayerRefPrefix.Length, kv, c, problem, known);
                else if (key.StartsWith(ManifestRefPrefix, StringComparison.Ordinal)) AddIndexed(ref children, key, ManifestRefPrefix.Length, kv, c, problem, known);
                else if (key.StartsWith(ContentRefPrefix, StringComparison.Ordinal) && IsNumber(key, ContentRefPrefix.Length))
                    AddIndexed(ref children, key, ContentRefPrefix.Length, kv, c, problem, known);
                else if (key.StartsWith(SnapshotRefPrefix, StringComparison.Ordinal) && c.SnapshotReference == null)
                {
                    c.SnapshotReference = kv.Value;
                    c.SnapshotReferenceSnapshotter = key.Substring(SnapshotRefPrefix.Length);
                }
                else if (key.StartsWith(DistributionSourcePrefix, StringComparison.Ordinal))
                    c.SourceValues[key.Substring(DistributionSourcePrefix.Length)] = kv.Value.Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries);
            }
            c.LayerReferenceValues = Ordered(layers);
            c.ChildReferenceValues = Ordered(children);
            // the typed values: the public properties make a new output list or string on each read
            if (c.ChildReferenceValues.Length > 0) c.KindValue = ContainerdContentKind.Index;
            else if (c.ConfigReferenceValue != null || c.LayerReferenceValues.Length > 0) c.KindValue = ContainerdContentKind.Manifest;
            else if (c.SnapshotReference != null) c.KindValue = ContainerdContentKind.Config;
            else if (c.UncompressedDigestValue != null) c.KindValue = ContainerdContentKind.Layer;
        }

        /// <summary>True when <paramref name="s"/> from <paramref name="start"/> on is digits (one at least).</summary>
        private static bool IsNumber(string s, int start)
        {
            if (s.Length == start) return false;
            for (int i = start; i < s.Length; i++) if (s[i] < '0' || s[i] > '9') return false;
            return true;
        }

        /// <summary>The number after the prefix of an indexed label key (l.&lt;i&gt;, m.&lt;i&gt;); one that is not a number sorts last.</summary>
        private static long IndexOf(string key, int start)
        {
            if (!IsNumber(key, start) || key.Length - start > 18) return long.MaxValue;
            long n = 0;
            for (int i = start; i < key.Length; i++) n = n * 10 + (key[i] - '0');
            return n;
        }

        private static void AddIndexed(ref List<IndexedDigest>? list, string key, int indexStart, KeyValuePair<string, string> kv, ContainerdContent c, Action<string> problem, Dictionary<string, Digest>? known)
        {
            var d = DigestOf(kv, c, problem, known);
            if (d == null) return;
            (list ??= new List<IndexedDigest>()).Add(new IndexedDigest(IndexOf(key, indexStart), d));
        }

        /// <summary>A reference and the number its label key gives it (a class: a list of it runs the runtime's precompiled shared code, where a list of a tuple is compiled on first use).</summary>
        private sealed class IndexedDigest
        {
            internal IndexedDigest(long index, Digest digest)
            {
                Index = index;
                Digest = digest;
            }

            internal long Index { get; }
            internal Digest Digest { get; }
        }

        private static Digest[] Ordered(List<IndexedDigest>? list)
        {
            if (list == null || list.Count == 0) return Array.Empty<Digest>();
            list.Sort((a, b) => a.Index.CompareTo(b.Index));
            var result = new Digest[list.Count];
            for (int i = 0; i < result.Length; i++) result[i] = list[i].Digest;
            return result;
        }

        /// <summary>The digest a label names; <paramref name="known"/> (digests already parsed, by text) saves parsing the same text again.</summary>
        private static Digest? DigestOf(KeyValuePair<string, string> kv, ContainerdContent c, Action<string> problem, Dictionary<string, Digest>? known)
        {
            if (known != null && known.TryGetValue(kv.Value, out var seen)) return seen;
            if (Digest.TryParse(kv.Value, out var d, out var reason))
            {
                if (known != null) known[kv.Value] = d!;
                return d;
            }
            problem($"label {kv.Key} of content {c.Digest} in namespace {c.Namespace} is not a digest ({reason}): '{kv.Value}'");
            return null;
        }
    }
}
