using System;
using ImageTools.Graph;
using ImageTools.Oci;
using ImageTools.Stores;

namespace ImageTools
{
    /// <summary>One name in a store (or one unnamed root), as Get-Image returns it.</summary>
    public sealed class Image
    {
        internal Image(IImageStore store, NamedImage named, ImageTitle title)
        {
            Store = store;
            Descriptor = named.Root;
            RecordedName = named.Name;
            Name = title.Name;
            FullName = title.FullName;
            Repository = title.Repository;
            Tag = title.Tag;
            Digest = named.Root.Digest;
            MediaType = named.Root.MediaType;
        }

        /// <summary>
        /// The name as the store's own tool prints it: Docker's familiar form (<c>base:1.0</c>) for archives, layouts and
        /// Docker roots, the recorded name for containerd (as <c>ctr images ls</c>) and registry storage (repository path);
        /// null for an image saved without a name.
        /// </summary>
        public string? Name { get; }

        /// <summary>The fully qualified name (<c>docker.io/library/base:1.0</c>); registry storage: the repository path as stored.</summary>
        public string? FullName { get; }

        public string? Repository { get; }
        public string? Tag { get; }

        /// <summary>The root descriptor's digest: what a registry reports as the image's digest.</summary>
        public Digest Digest { get; }

        public string MediaType { get; }

        /// <summary>Bytes of the distinct blobs the image reaches: indexes, manifests, configs and layers as stored.</summary>
        public long Size { get; internal set; }

        public string[] Platforms { get; internal set; } = Array.Empty<string>();
        public DateTimeOffset? Created { get; internal set; }

        /// <summary>Image IDs (config digests) of the image's platform manifests.</summary>
        public Digest[] ImageIds { get; internal set; } = Array.Empty<Digest>();

        public StoreKind StoreKind => Store.Kind;
        public string StorePath => Store.Location;

        public IImageStore Store { get; }

        /// <summary>The name exactly as the store records it.</summary>
        internal string? RecordedName { get; }
        public Descriptor Descriptor { get; }

        /// <summary>Size, platforms, creation time and image IDs have been read from the manifests and configs.</summary>
        internal bool DetailsFilled { get; set; }

        public override string ToString() => Name ?? Digest.ToString();
    }
}
