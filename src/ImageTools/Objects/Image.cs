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
            MediaType = named.Root.MediaType;
            Namespace = (store as Stores.Containerd.ContainerdStore)?.NamespaceOf(named);
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
        public string Digest => Descriptor.Digest.ToOutput();

        public string MediaType { get; }

        /// <summary>The containerd namespace the image is recorded in (as <c>ctr -n &lt;ns&gt; images ls</c>); null for other stores.</summary>
        public string? Namespace { get; }

        /// <summary>
        /// True when the store keeps no manifest and the Digest is the one this module synthesizes as <c>docker save</c>
        /// does (a Docker data root: <c>docker inspect</c> shows <c>RepoDigests: []</c> for such an image).
        /// </summary>
        public bool DigestSynthesized => Store.Kind == Stores.StoreKind.DockerRoot;

        /// <summary>The image ID (config digest) as <c>docker images</c> shows it, when the image has one platform; null for a multi-platform image.</summary>
        public string? ImageId => ImageIdValues.Length == 1 ? ImageIdValues[0].ToOutput() : null;

        /// <summary>Bytes of the distinct blobs the image reaches: indexes, manifests, configs and layers as stored.</summary>
        public long Size { get; internal set; }

        public ValueList Platforms { get; internal set; } = ValueList.Empty;
        public string? Created => CreatedValue.ToOutput();
        internal DateTimeOffset? CreatedValue { get; set; }

        /// <summary>Image IDs (config digests) of the image's platform manifests.</summary>
        public ValueList ImageIds => ImageIdValues.ToOutput();
        internal Digest[] ImageIdValues { get; set; } = Array.Empty<Digest>();

        public string StoreKind => Store.Kind.ToString();
        public string StorePath => Store.Location;

        internal IImageStore Store { get; }

        /// <summary>The name exactly as the store records it.</summary>
        internal string? RecordedName { get; }
        internal Descriptor Descriptor { get; }

        /// <summary>Bytes of the root manifest or index blob (what <c>ctr images ls</c> prints as SIZE for containerd is the whole image).</summary>
        public long RootSize => Descriptor.Size;

        /// <summary>Size, platforms, creation time and image IDs have been read from the manifests and configs.</summary>
        internal bool DetailsFilled { get; set; }

        public override string ToString() => Name ?? Digest;
    }
}
