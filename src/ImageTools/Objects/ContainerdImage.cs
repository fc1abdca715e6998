using System;
using System.Collections.Generic;
using ImageTools.Oci;
using ImageTools.Stores;

namespace ImageTools
{
    /// <summary>An image record of containerd's metadata (<c>v1/&lt;ns&gt;/images/&lt;name&gt;</c>), what <c>ctr images ls</c> lists.</summary>
    public sealed class ContainerdImage
    {
        internal ContainerdImage(IImageStore store, string ns, string name, Digest digest, string mediaType, long size,
            DateTimeOffset? created, DateTimeOffset? updated, SortedDictionary<string, string> labels, SortedDictionary<string, string> annotations)
        {
            Store = store;
            Namespace = ns;
            Name = name;
            DigestValue = digest;
            MediaType = mediaType;
            Size = size;
            CreatedAtValue = created;
            UpdatedAtValue = updated;
            Labels = new LabelSet(labels);
            Annotations = new LabelSet(annotations);
            measure = new Lazy<ImageDetails.Measure>(() => ImageDetails.Walk(Store, Target, _ => { }));
            imageSize = new Lazy<long>(() => Graph.CtrImageSize.Of(Graph.StoreGraph.Of(Store), Target));
        }

        private readonly Lazy<ImageDetails.Measure> measure;
        private readonly Lazy<long> imageSize;

        public string Namespace { get; }

        /// <summary>The image name as containerd keeps it (not normalized: <c>base:1.0</c> stays <c>base:1.0</c>).</summary>
        public string Name { get; }

        /// <summary>The target descriptor's digest.</summary>
        public string Digest => DigestValue.ToOutput();
        internal Digest DigestValue { get; }

        /// <summary>The target descriptor's media type.</summary>
        public string MediaType { get; }

        /// <summary>The target descriptor's size (of the root manifest or index, not of the whole image).</summary>
        public long Size { get; }

        /// <summary>
        /// The whole image's size as <c>ctr images ls</c> shows it: the descriptor sizes of the index, this machine's
        /// platform manifest, its config and layers. Read on first use; what cannot be read is left out, as ctr shows
        /// what it can.
        /// </summary>
        public long ImageSize => imageSize.Value;

        /// <summary>The platforms of the image's manifests present in the content store (ctr images ls' PLATFORMS).</summary>
        public ValueList Platforms => new ValueList(measure.Value.Platforms.ToArray());

        public string? CreatedAt => CreatedAtValue.ToOutput();
        internal DateTimeOffset? CreatedAtValue { get; }
        public string? UpdatedAt => UpdatedAtValue.ToOutput();
        internal DateTimeOffset? UpdatedAtValue { get; }
        public LabelSet Labels { get; }

        /// <summary>The target descriptor's annotations.</summary>
        public LabelSet Annotations { get; }

        internal IImageStore Store { get; }
        public string StorePath => Store.Location;

        internal Descriptor Target => new Descriptor(MediaType, DigestValue, Size, Annotations);

        public override string ToString() => Name;
    }
}
