using System.Collections.Generic;
using ImageTools.Oci;
using ImageTools.Stores;

namespace ImageTools.Export
{
    public enum SaveFormat
    {
        /// <summary>Docker 25+ shape: an OCI layout plus manifest.json and repositories, loadable by docker, containerd and skopeo.</summary>
        DockerArchive,
        /// <summary>An OCI image layout as a tar (skopeo's oci-archive).</summary>
        OciArchive,
        /// <summary>An OCI image layout folder, added to when it exists.</summary>
        OciLayout,
    }

    public enum LayerCompression
    {
        /// <summary>Layers as the source stores them; digests stay identical to the source.</summary>
        Keep,
        None,
        Gzip,
        Zstd,
    }

    internal sealed class SaveOptions
    {
        public SaveFormat Format { get; set; } = SaveFormat.DockerArchive;
        public Platform? Platform { get; set; }
        public bool AllPlatforms { get; set; }
        public LayerCompression Compression { get; set; } = LayerCompression.Keep;
        /// <summary>Also write the artifacts attached to each image (signatures, SBOMs, attestations).</summary>
        public bool IncludeReferrers { get; set; }

        /// <summary>How many blobs move at once from registries over HTTP.</summary>
        public int Throttle { get; set; } = 4;
    }

    /// <summary>One image to save: a root in a store and the names it gets in the archive (none when saved by ID or digest).</summary>
    internal sealed class SaveEntry
    {
        public SaveEntry(IImageStore store, Descriptor root, string label)
        {
            Store = store;
            Root = root;
            Label = label;
        }

        public IImageStore Store { get; }
        public Descriptor Root { get; }

        /// <summary>An artifact that travels with an image (-IncludeReferrers): written as stored, listed in index.json only, never in manifest.json.</summary>
        public bool IsReferrer { get; set; }

        /// <summary>The source image's repository as its store records it, where its referrer tags are (null: unnamed).</summary>
        public string? SourceRepository { get; set; }
        public string Label { get; }
        public List<ImageReference> Names { get; } = new List<ImageReference>();

        public void AddName(ImageReference name)
        {
            if (!Names.Contains(name)) Names.Add(name);
        }
    }
}
