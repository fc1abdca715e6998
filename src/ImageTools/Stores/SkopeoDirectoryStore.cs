using System.Collections.Generic;
using System.IO;
using ImageTools.Content;
using ImageTools.Oci;

namespace ImageTools.Stores
{
    /// <summary>skopeo's <c>dir:</c> layout: <c>version</c>, <c>manifest.json</c>, and blobs named by bare hex.</summary>
    public sealed class SkopeoDirectoryStore : IImageStore
    {
        private const string VersionPrefix = "Directory Transport Version:";
        private readonly Digest _manifestDigest;
        private readonly string _manifestPath;
        private readonly List<NamedImage> _images = new List<NamedImage>();

        private readonly StoreBoundary _room;

        public string Location { get; }
        public StoreKind Kind => StoreKind.SkopeoDirectory;
        public IReadOnlyList<NamedImage> Images => _images;
        public IReadOnlyList<ImageToolsException> Problems { get; } = new List<ImageToolsException>();

        public SkopeoDirectoryStore(string directory)
        {
            Location = Path.GetFullPath(directory);
            _room = new StoreBoundary(Location);
            _manifestPath = Path.Combine(Location, "manifest.json");
            if (!File.Exists(_manifestPath))
                throw new ImageToolsException(ErrorId.StoreUnreadable, $"{Location} looks like a skopeo dir: layout but has no manifest.json.", _manifestPath, Location);
            byte[] bytes = _room.ReadFile(_manifestPath, "manifest.json of a skopeo dir: layout", BlobReader.MaxManifestSize);
            _manifestDigest = DigestAlgorithms.Compute(Digest.Sha256, bytes);
            string mediaType;
            try
            {
                using var doc = Json.ParseDocument(bytes, $"manifest.json of {Location}");
                Json.RequireObject(doc.RootElement, $"manifest.json of {Location}");
                mediaType = Json.OptionalString(doc.RootElement, "mediaType", "manifest.json") ??
                            (doc.RootElement.TryGetProperty("manifests", out _) ? MediaTypes.OciIndex : MediaTypes.OciManifest);
            }
            catch (ContentFormatException e) { throw StoreErrors.Malformed(_manifestPath, e.Message, e); }
            _images.Add(new NamedImage(null, new Descriptor(mediaType, _manifestDigest, bytes.Length)));
        }

        public static bool Recognize(string directory)
        {
            string version = Path.Combine(directory, "version");
            if (!File.Exists(version) || new FileInfo(version).Length > 1024) return false;
            return System.Text.Encoding.UTF8.GetString(ContentFiles.ReadAll(version, 1024, "the version file of a skopeo dir: layout")).StartsWith(VersionPrefix, System.StringComparison.Ordinal);
        }

        private string PathOf(Digest digest) =>
            digest == _manifestDigest ? _manifestPath : Path.Combine(Location, digest.Encoded);

        public bool HasBlob(Digest digest) => digest.Algorithm == Digest.Sha256 && File.Exists(PathOf(digest));

        public Stream OpenBlob(Digest digest)
        {
            if (!HasBlob(digest)) throw StoreErrors.BlobNotFound(this, digest);
            return _room.OpenFile(PathOf(digest), $"blob {digest}");
        }

        public string DescribeBlob(Digest digest) => PathOf(digest);

        public IEnumerable<Digest> EnumerateBlobs()
        {
            yield return _manifestDigest;
            foreach (var file in Directory.EnumerateFiles(Location))
                if (Digest.TryParse("sha256:" + Path.GetFileName(file), out var d)) yield return d!;
        }

        public void Dispose() { }
    }
}
