using System;
using ImageTools.Oci;
using ImageTools.Stores;

namespace ImageTools
{
    /// <summary>One name in a store (or one unnamed root), as Get-Image returns it.</summary>
    public sealed class Image
    {
        internal Image(IImageStore store, NamedImage named)
        {
            Store = store;
            Descriptor = named.Root;
            Name = named.Reference?.FamiliarName ?? named.Name;
            FullName = named.Reference?.ToString() ?? named.Name;
            Repository = named.Reference?.FamiliarRepository;
            Tag = named.Reference?.Tag ?? (named.Reference == null ? named.Name : null);
            Digest = named.Root.Digest;
            MediaType = named.Root.MediaType;
        }

        /// <summary>The name as Docker prints it (<c>base:1.0</c>), or null for an image saved without a name.</summary>
        public string? Name { get; }

        /// <summary>The fully qualified name (<c>docker.io/library/base:1.0</c>).</summary>
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
        public Descriptor Descriptor { get; }

        /// <summary>Size, platforms, creation time and image IDs have been read from the manifests and configs.</summary>
        internal bool DetailsFilled { get; set; }

        public override string ToString() => Name ?? Digest.ToString();
    }
}
