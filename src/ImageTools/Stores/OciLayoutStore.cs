using System.Collections.Generic;
using System.IO;
using System.Linq;
using ImageTools.Content;
using ImageTools.Oci;

namespace ImageTools.Stores
{
    /// <summary>An OCI image layout directory: <c>oci-layout</c>, <c>index.json</c>, <c>blobs/&lt;alg&gt;/&lt;encoded&gt;</c>.</summary>
    public sealed class OciLayoutStore : IImageStore
    {
        public const string LayoutFile = "oci-layout";
        public const string IndexFile = "index.json";

        private readonly List<NamedImage> _images;
        private readonly List<ImageToolsException> _problems = new List<ImageToolsException>();

        private readonly StoreBoundary _room;

        public string Location { get; }
        public StoreKind Kind => StoreKind.OciLayout;
        public IReadOnlyList<NamedImage> Images => _images;
        public IReadOnlyList<ImageToolsException> Problems => _problems;

        public OciLayoutStore(string directory)
        {
            Location = Path.GetFullPath(directory);
            _room = new StoreBoundary(Location);
            string indexPath = Path.Combine(Location, IndexFile);
            if (!File.Exists(indexPath))
                throw new ImageToolsException(ErrorId.StoreUnreadable, $"{Location} has an oci-layout file but no index.json.", indexPath, Location);
            byte[] bytes = _room.ReadFile(indexPath, "index.json of an OCI layout", BlobReader.MaxManifestSize);
            ImageIndex index;
            var skipped = new List<ContentFormatException>();
            try { index = ImageIndex.ParseLenient(bytes, $"index.json of {Location}", skipped); }
            catch (ContentFormatException e) { throw StoreErrors.Malformed(indexPath, e.Message, e); }
            _problems.AddRange(skipped.Select(p => StoreErrors.Malformed(indexPath, p.Message, p)));
            _images = IndexNames.FromIndex(index).ToList();
        }

        public static bool Recognize(string directory) => File.Exists(Path.Combine(directory, LayoutFile));

        public string BlobPath(Digest digest) => Path.Combine(Location, "blobs", digest.Algorithm, digest.Encoded);

        public bool HasBlob(Digest digest) => File.Exists(BlobPath(digest));

        public Stream OpenBlob(Digest digest) => BlobFiles.Open(this, digest, BlobPath(digest), _room);

        public string DescribeBlob(Digest digest) => BlobPath(digest);

        public IEnumerable<Digest> EnumerateBlobs() => BlobFiles.Enumerate(Path.Combine(Location, "blobs"));

        public void Dispose() { }
    }
}
