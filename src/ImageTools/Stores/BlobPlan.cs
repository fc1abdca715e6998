using System.Collections.Generic;
using ImageTools.Oci;

namespace ImageTools.Stores
{
    /// <summary>One blob to verify: what it is, what it should be, and which images reach it.</summary>
    public sealed class PlannedBlob
    {
        public PlannedBlob(IImageStore store, Digest digest, long expectedSize, BlobKind kind)
        {
            Store = store;
            Digest = digest;
            ExpectedSize = expectedSize;
            Kind = kind;
        }

        public IImageStore Store { get; }
        public Digest Digest { get; }

        /// <summary>-1 when nothing names the blob's size (a blob no descriptor reaches).</summary>
        public long ExpectedSize { get; }

        public BlobKind Kind { get; }
        public Digest? DiffId { get; set; }
        public List<string> Images { get; } = new List<string>();
    }

    /// <summary>The distinct blobs a set of images reaches, each once, with the images that use it.</summary>
    public sealed class BlobPlan
    {
        private readonly Dictionary<(IImageStore, Digest), PlannedBlob> _blobs = new Dictionary<(IImageStore, Digest), PlannedBlob>();
        private readonly List<PlannedBlob> _order = new List<PlannedBlob>();

        public IReadOnlyList<PlannedBlob> Blobs => _order;

        public PlannedBlob Add(IImageStore store, Descriptor d, BlobKind kind, string? image) =>
            Add(store, d.Digest, d.Size, kind, image);

        public PlannedBlob Add(IImageStore store, Digest digest, long size, BlobKind kind, string? image)
        {
            if (!_blobs.TryGetValue((store, digest), out var blob))
            {
                blob = new PlannedBlob(store, digest, size, kind);
                _blobs[(store, digest)] = blob;
                _order.Add(blob);
            }
            if (image != null && !blob.Images.Contains(image)) blob.Images.Add(image);
            return blob;
        }

        public bool Contains(IImageStore store, Digest digest) => _blobs.ContainsKey((store, digest));
    }
}
