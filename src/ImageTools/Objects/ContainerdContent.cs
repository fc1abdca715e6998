using System;
using System.Collections.Generic;
using System.Linq;
using ImageTools.Oci;

namespace ImageTools
{
    /// <summary>What a content blob is, as told by the references containerd keeps in labels.</summary>
    public enum ContainerdContentKind
    {
        /// <summary>No label of the blob or of another blob says what it is.</summary>
        Unknown,
        /// <summary>An index or manifest list: it refers to manifests (gc.ref.content.m.&lt;i&gt;).</summary>
        Index,
        /// <summary>A manifest: it refers to a config and layers (gc.ref.content.config, gc.ref.content.l.&lt;i&gt;).</summary>
        Manifest,
        /// <summary>An image config: a manifest refers to it as config, or it points at a snapshot.</summary>
        Config,
        /// <summary>A layer: a manifest refers to it as a layer, or it carries containerd.io/uncompressed.</summary>
        Layer,
    }

    /// <summary>One record of containerd's content store in a namespace (what <c>ctr content ls</c> lists), with its labels decoded.</summary>
    public sealed class ContainerdContent
    {
        // A namespace can hold tens of thousands of records: what most records do not have (labels, sources) and what
        // few callers ask for (the blob path) is made when first asked, not kept for every record.
        private readonly Stores.Containerd.ContainerdRoot _root;
        // the labels as read (ordered by key), and the LabelSet made of them when first asked for: a sorted
        // dictionary per record was a good part of what a listing allocated, and most listings never look at it
        private readonly KeyValuePair<string, string>[]? _labelPairs;
        private LabelSet? _labels;
        private SortedDictionary<string, string[]>? _sources;
        private string? _blobPath;

        /// <summary><paramref name="labels"/>: ordered by key (ordinal), each key once.</summary>
        internal ContainerdContent(string ns, Digest digest, long size, DateTimeOffset? created, DateTimeOffset? updated,
            KeyValuePair<string, string>[]? labels, Stores.Containerd.ContainerdRoot root)
        {
            Namespace = ns;
            DigestValue = digest;
            Size = size;
            CreatedAtValue = created;
            UpdatedAtValue = updated;
            _labelPairs = labels;
            _root = root;
        }

        public string Namespace { get; }
        public string Digest => DigestValue.ToOutput();
        internal Digest DigestValue { get; }
        public long Size { get; }
        public string? CreatedAt => CreatedAtValue.ToOutput();
        internal DateTimeOffset? CreatedAtValue { get; }
        public string? UpdatedAt => UpdatedAtValue.ToOutput();
        internal DateTimeOffset? UpdatedAtValue { get; }

        /// <summary>Every label, ordered by key.</summary>
        public LabelSet Labels => _labels ??= new LabelSet(_labelPairs);

        /// <summary>The labels ordered by key, as read (no LabelSet is made).</summary>
        internal KeyValuePair<string, string>[] LabelPairs => _labelPairs ?? Array.Empty<KeyValuePair<string, string>>();

        public string Kind => KindValue.ToString();
        internal ContainerdContentKind KindValue { get; set; }

        /// <summary>containerd.io/uncompressed: the DiffID of a compressed layer.</summary>
        public string? UncompressedDigest => UncompressedDigestValue.ToOutputOrNull();
        internal Digest? UncompressedDigestValue { get; set; }

        /// <summary>containerd.io/gc.ref.content.config: the config of a manifest.</summary>
        public string? ConfigReference => ConfigReferenceValue.ToOutputOrNull();
        internal Digest? ConfigReferenceValue { get; set; }

        /// <summary>containerd.io/gc.ref.content.l.&lt;i&gt;: the layers of a manifest, in order.</summary>
        public ValueList LayerReferences => LayerReferenceValues.ToOutput();
        internal Digest[] LayerReferenceValues { get; set; } = Array.Empty<Digest>();

        /// <summary>containerd.io/gc.ref.content.m.&lt;i&gt; and gc.ref.content.&lt;i&gt;: the manifests of an index, in order.</summary>
        public ValueList ChildReferences => ChildReferenceValues.ToOutput();
        internal Digest[] ChildReferenceValues { get; set; } = Array.Empty<Digest>();

        /// <summary>containerd.io/gc.ref.snapshot.&lt;snapshotter&gt;: the snapshot (chain ID) of an unpacked config.</summary>
        public string? SnapshotReference { get; internal set; }

        /// <summary>The snapshotter named by the snapshot reference's label key.</summary>
        public string? SnapshotReferenceSnapshotter { get; internal set; }

        /// <summary>containerd.io/distribution.source.&lt;registry&gt;: registry => repositories.</summary>
        public LabelSet DistributionSources => new LabelSet(SourceValues.Select(p => new KeyValuePair<string, string>(p.Key, string.Join(",", p.Value))));

        /// <summary>The same, each registry's repositories as a list (ctr's label value, split at commas).</summary>
        internal SortedDictionary<string, string[]> SourceValues => _sources ??= new SortedDictionary<string, string[]>(StringComparer.Ordinal);

        /// <summary>Where the blob's bytes are: io.containerd.content.v1.content/blobs/&lt;alg&gt;/&lt;hex&gt;.</summary>
        public string BlobPath => _blobPath ??= _root.BlobPath(DigestValue);

        /// <summary>Whether the blob file is in the content store; looked up when first asked (one stat), not for every record read.</summary>
        public bool BlobExists => _blobExists ??= System.IO.File.Exists(BlobPath);

        private bool? _blobExists;

        /// <summary>The labels as ctr prints them: key=value joined by commas, or '-'.</summary>
        public string LabelText => ContainerdText.Labels(Labels);

        public override string ToString() => Digest;
    }
}
