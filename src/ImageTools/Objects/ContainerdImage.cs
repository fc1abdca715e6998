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
            Digest = digest;
            MediaType = mediaType;
            Size = size;
            CreatedAt = created;
            UpdatedAt = updated;
            Labels = labels;
            Annotations = annotations;
        }

        public string Namespace { get; }

        /// <summary>The image name as containerd keeps it (not normalized: <c>base:1.0</c> stays <c>base:1.0</c>).</summary>
        public string Name { get; }

        /// <summary>The target descriptor's digest.</summary>
        public Digest Digest { get; }

        /// <summary>The target descriptor's media type.</summary>
        public string MediaType { get; }

        /// <summary>The target descriptor's size (of the root manifest or index, not of the whole image).</summary>
        public long Size { get; }

        public DateTimeOffset? CreatedAt { get; }
        public DateTimeOffset? UpdatedAt { get; }
        public SortedDictionary<string, string> Labels { get; }

        /// <summary>The target descriptor's annotations.</summary>
        public SortedDictionary<string, string> Annotations { get; }

        public IImageStore Store { get; }
        public string StorePath => Store.Location;

        public Descriptor Target => new Descriptor(MediaType, Digest, Size, Annotations);

        public override string ToString() => Name;
    }
}
