using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
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

        /// <summary>Fills the typed properties from the labels.</summary>
        /// <param name="c">The record, its labels read.</param>
        /// <param name="problem">Hears about labels whose values are not digests.</param>
        /// <param name="references">The digests of the namespace already parsed, which saves parsing the same text again (null: none).</param>
        internal static void Decode(ContainerdContent c, Action<string> problem, ContainerdContentReferences? references = null)
        {
            var labels = c.LabelPairs;
            if (labels.Length == 0) return;
            IndexedDigests? layers = null;
            IndexedDigests? children = null;
            foreach (var kv in labels)
            {
                string key = kv.Key;
                if (key == Uncompressed) c.UncompressedDigestValue = DigestOf(kv, c, problem, references);
                else if (key == ConfigRef) c.ConfigReferenceValue = DigestOf(kv, c, problem, references);
                else if (key.StartsWith(LayerRefPrefix, StringComparison.Ordinal)) AddIndexed(ref layers, key, LayerRefPrefix.Length, kv, c, problem, references);
                else if (key.StartsWith(ManifestRefPrefix, StringComparison.Ordinal)) AddIndexed(ref children, key, ManifestRefPrefix.Length, kv, c, problem, references);
                else if (key.StartsWith(ContentRefPrefix, StringComparison.Ordinal) && IsNumber(key, ContentRefPrefix.Length))
                    AddIndexed(ref children, key, ContentRefPrefix.Length, kv, c, problem, references);
                else if (key.StartsWith(SnapshotRefPrefix, StringComparison.Ordinal) && c.SnapshotReference == null)
                {
                    c.SnapshotReference = kv.Value;
                    c.SnapshotReferenceSnapshotter = key.Substring(SnapshotRefPrefix.Length);
                }
                else if (key.StartsWith(DistributionSourcePrefix, StringComparison.Ordinal))
                    c.SourceValues[key.Substring(DistributionSourcePrefix.Length)] = kv.Value.Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries);
            }
            c.LayerReferenceValues = layers?.Ordered() ?? Array.Empty<Digest>();
            c.ChildReferenceValues = children?.Ordered() ?? Array.Empty<Digest>();
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

        private static void AddIndexed(ref IndexedDigests? list, string key, int indexStart, KeyValuePair<string, string> kv, ContainerdContent c, Action<string> problem,
            ContainerdContentReferences? references)
        {
            var d = DigestOf(kv, c, problem, references);
            if (d == null) return;
            (list ??= new IndexedDigests()).Add(IndexOf(key, indexStart), d);
        }

        /// <summary>References and the numbers their label keys give them, in two arrays (a list of tuples is compiled on first use, in a new session).</summary>
        private sealed class IndexedDigests
        {
            // one at first: most manifests name one or a few layers, and a full array is handed out as it is
            private long[] _index = new long[1];
            private Digest[] _digests = new Digest[1];
            private int _count;

            internal void Add(long index, Digest digest)
            {
                if (_count == _index.Length)
                {
                    Array.Resize(ref _index, _count * 2);
                    Array.Resize(ref _digests, _count * 2);
                }
                _index[_count] = index;
                _digests[_count] = digest;
                _count++;
            }

            /// <summary>The digests by their numbers; equal numbers keep their key order.</summary>
            internal Digest[] Ordered()
            {
                if (_count > InsertionSortLimit) return OrderedBySort();
                // a stable insertion sort: a manifest names few layers. Label keys come in text order ("l.10" before
                // "l.2"), so a record with thousands of them would make it quadratic: those are sorted instead.
                for (int i = 1; i < _count; i++)
                {
                    long index = _index[i];
                    var digest = _digests[i];
                    int j = i - 1;
                    while (j >= 0 && _index[j] > index)
                    {
                        _index[j + 1] = _index[j];
                        _digests[j + 1] = _digests[j];
                        j--;
                    }
                    _index[j + 1] = index;
                    _digests[j + 1] = digest;
                }
                if (_count == _digests.Length) return _digests;
                var result = new Digest[_count];
                Array.Copy(_digests, result, _count);
                return result;
            }

            private const int InsertionSortLimit = 64;

            /// <summary>The same order in O(n log n): positions sorted by number, then by position (stable).</summary>
            private Digest[] OrderedBySort()
            {
                var positions = new int[_count];
                for (int i = 0; i < _count; i++) positions[i] = i;
                var index = _index;
                Array.Sort(positions, (a, b) => index[a] != index[b] ? index[a].CompareTo(index[b]) : a.CompareTo(b));
                var result = new Digest[_count];
                for (int i = 0; i < _count; i++) result[i] = _digests[positions[i]];
                return result;
            }
        }

        /// <summary>The digest a label names; <paramref name="references"/> (digests already parsed) saves parsing the same text again.</summary>
        private static Digest? DigestOf(KeyValuePair<string, string> kv, ContainerdContent c, Action<string> problem, ContainerdContentReferences? references)
        {
            string? reason;
            var d = references != null ? references.Parse(kv.Value, out reason) : Digest.TryParse(kv.Value, out var parsed, out reason) ? parsed : null;
            if (d != null) return d;
            problem($"label {kv.Key} of content {c.Digest} in namespace {c.Namespace} is not a digest ({reason}): '{kv.Value}'");
            return null;
        }
    }
}
