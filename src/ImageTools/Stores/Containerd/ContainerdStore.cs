using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.CompilerServices;
using ImageTools.Oci;

namespace ImageTools.Stores.Containerd
{
    /// <summary>
    /// A containerd root as an image store: the names table is the image records of its namespaces (all of them, or
    /// those chosen with <see cref="ForNamespaces"/>), the blobs are the files of io.containerd.content.v1.content.
    /// Read without a daemon and without a lock; nothing is written.
    /// </summary>
    public sealed class ContainerdStore : IImageStore
    {
        private readonly List<NamedImage> _images = new List<NamedImage>();
        private readonly List<ImageToolsException> _problems = new List<ImageToolsException>();
        private readonly ConditionalWeakTable<NamedImage, string> _namespaces = new ConditionalWeakTable<NamedImage, string>();
        private readonly List<ContainerdImage> _records = new List<ContainerdImage>();
        private readonly StoreBoundary _boundary;

        /// <summary>Opens the containerd root at <paramref name="path"/> (a root, its metadata folder, or meta.db).</summary>
        /// <exception cref="ImageToolsException">StoreNotRecognized, MetadataCorrupt.</exception>
        public ContainerdStore(string path) : this(ContainerdMetadata.Open(ContainerdRoot.Resolve(path)), null) { }

        private ContainerdStore(ContainerdMetadata metadata, IReadOnlyList<string>? namespaces)
        {
            Metadata = metadata;
            Location = metadata.Root.RootPath;
            _boundary = new StoreBoundary(Location);
            var reader = new ContainerdRecordReader(metadata);
            Namespaces = namespaces ?? new List<string>(metadata.NamespaceNames());
            _problems.AddRange(metadata.NamespaceProblems);
            foreach (var ns in Namespaces)
            {
                foreach (var image in reader.Images(this, ns, e => _problems.Add(e as ImageToolsException ?? new ImageToolsException(ErrorId.MetadataCorrupt, e.Message, ns, Location, e))))
                {
                    var named = new NamedImage(image.Name, image.Target);
                    _namespaces.Add(named, ns);
                    _images.Add(named);
                    _records.Add(image);
                }
            }
        }

        /// <summary>A store over metadata already read, for the namespaces given (all when null).</summary>
        public static ContainerdStore FromMetadata(ContainerdMetadata metadata, IReadOnlyList<string>? namespaces = null) => new ContainerdStore(metadata, namespaces);

        /// <summary>The same root restricted to some namespaces (the metadata is not read again).</summary>
        public ContainerdStore ForNamespaces(IReadOnlyList<string> namespaces) => new ContainerdStore(Metadata, namespaces);

        public ContainerdMetadata Metadata { get; }
        public ContainerdRoot Root => Metadata.Root;

        /// <summary>The namespaces whose images are in <see cref="Images"/>.</summary>
        public IReadOnlyList<string> Namespaces { get; }

        /// <summary>The image records behind <see cref="Images"/>.</summary>
        public IReadOnlyList<ContainerdImage> ImageRecords => _records;

        public string Location { get; }
        public StoreKind Kind => StoreKind.Containerd;
        public IReadOnlyList<NamedImage> Images => _images;
        public IReadOnlyList<ImageToolsException> Problems => _problems;

        /// <summary>The namespace a row of <see cref="Images"/> came from.</summary>
        public string? NamespaceOf(NamedImage image) => _namespaces.TryGetValue(image, out var ns) ? ns : null;

        /// <summary>The namespace of an image whose root descriptor is <paramref name="root"/> (the descriptor object of a row of <see cref="Images"/>).</summary>
        public string? NamespaceOf(Descriptor root)
        {
            foreach (var n in _images) if (ReferenceEquals(n.Root, root)) return NamespaceOf(n);
            return null;
        }

        public bool HasBlob(Digest digest) => File.Exists(Root.BlobPath(digest));

        /// <summary>The blob's file, which must be a regular file inside the root (a symlink out of it or a FIFO is refused, never opened).</summary>
        public Stream OpenBlob(Digest digest)
        {
            string path = Root.BlobPath(digest);
            if (!File.Exists(path)) throw StoreErrors.BlobNotFound(this, digest);
            return _boundary.OpenFile(path, $"content blob {digest}");
        }

        public string DescribeBlob(Digest digest) => Root.BlobPath(digest);

        public IEnumerable<Digest> EnumerateBlobs() => BlobFiles.Enumerate(Root.BlobsPath);

        public void Dispose() { }
    }
}
