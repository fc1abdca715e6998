using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using ImageTools.Content;
using ImageTools.Oci;

namespace ImageTools.Stores.Registry
{
    /// <summary>
    /// What a manifest or index blob in registry storage refers to, read from its <c>data</c> file (the only blobs
    /// the registry code ever reads: layers and configs are only stat'ed).
    /// </summary>
    public sealed class RegistryManifest
    {
        public const string DockerSchema1 = "application/vnd.docker.distribution.manifest.v1+prettyjws";

        private RegistryManifest(Digest digest, long size, string mediaType, bool isIndex, List<Descriptor> children, List<Digest> blobs)
        {
            Digest = digest;
            Size = size;
            MediaType = mediaType;
            IsIndex = isIndex;
            Children = children;
            Blobs = blobs;
        }

        public Digest Digest { get; }
        public long Size { get; }
        public string MediaType { get; }
        public bool IsIndex { get; }

        /// <summary>The manifests (and nested indexes) of an index or manifest list.</summary>
        public IReadOnlyList<Descriptor> Children { get; }

        /// <summary>The config and layers of an image manifest (blobSums of a schema 1 manifest).</summary>
        public IReadOnlyList<Digest> Blobs { get; }

        /// <summary>The layer and config descriptors, with their declared sizes (for repository sizes).</summary>
        public IReadOnlyList<Descriptor> BlobDescriptors { get; private set; } = new List<Descriptor>();

        /// <summary>
        /// Reads and verifies a manifest blob. Its bytes must hash to its digest (DigestMismatch otherwise, naming
        /// the data file); a blob that is missing is BlobNotFound; one that is not a manifest is MalformedContent; a data file that is a
        /// FIFO or device is NotARegularFile and one that leads out of the storage PathOutsideStore (neither is opened).
        /// </summary>
        public static RegistryManifest Read(RegistryLayout layout, Digest digest)
        {
            string path = layout.BlobData(digest);
            byte[] bytes = ReadQuickly(layout, path) ?? ReadChecked(layout, digest, path);
            if (!digest.IsSupported)
                throw new ImageToolsException(ErrorId.UnsupportedAlgorithm, $"Cannot verify {path}: digest algorithm {digest.Algorithm} is not supported.", digest.ToString(), path);
            var actual = DigestAlgorithms.Compute(digest.Algorithm, bytes);
            if (actual != digest)
                throw new ImageToolsException(ErrorId.DigestMismatch, $"Blob data {path} does not match its digest: expected {digest}, its content hashes to {actual}.", digest.ToString(), path);
            try { return Parse(digest, bytes); }
            catch (ContentFormatException e)
            {
                throw new ImageToolsException(ErrorId.MalformedContent, $"Blob {path} is not a manifest or index: {e.Message}", digest.ToString(), path, e);
            }
        }

        /// <summary>The data file read the quick way (no symlink on the way, a regular file of at most the manifest size); null when that way does not apply.</summary>
        private static byte[]? ReadQuickly(RegistryLayout layout, string path)
        {
            var files = NoSymlinkFiles.OfThisThread;
            string? real = files == null ? null : layout.Room.RealPathIfNoSymlinks(path);
            if (files == null || real == null) return null;
            try
            {
                var bytes = new byte[0];
                int n = files.ReadFile(LibC.AtFdCwd, LibC.Path(real), BlobReader.MaxManifestSize, ref bytes);
                if (n < 0) return null;
                if (bytes.Length != n) System.Array.Resize(ref bytes, n);
                return bytes;
            }
            catch (NoSymlinkFiles.Unusual) { return null; }
        }

        /// <summary>The data file read through the room, which says what is wrong with it.</summary>
        private static byte[] ReadChecked(RegistryLayout layout, Digest digest, string path)
        {
            bool exists;
            try { exists = layout.Room.IsReadableFile(path, $"Manifest blob {digest}: data file"); }
            catch (ImageToolsException e) { throw new ImageToolsException(e.ErrorId, e.Message, digest.ToString(), path, e); }
            if (!exists)
                throw new ImageToolsException(ErrorId.BlobNotFound, $"Manifest blob {digest} is missing: {path} does not exist.", digest.ToString(), path);
            var info = new FileInfo(path);
            if (info.Length > BlobReader.MaxManifestSize)
                throw new ImageToolsException(ErrorId.ContentTooLarge,
                    $"Blob {digest} at {path} is {info.Length} bytes, more than the {BlobReader.MaxManifestSize} allowed for a manifest.", digest.ToString(), path);
            return File.ReadAllBytes(path);
        }

        private static RegistryManifest Parse(Digest digest, byte[] bytes)
        {
            string what = $"blob {digest}";
            using var doc = Json.ParseDocument(bytes, what);
            var root = Json.RequireObject(doc.RootElement, what);
            string? mediaType = Json.OptionalString(root, "mediaType", what);
            long schema = Json.OptionalInt64(root, "schemaVersion", what) ?? 0;
            var children = new List<Descriptor>();
            var blobs = new List<Digest>();
            var descriptors = new List<Descriptor>();
            if (schema == 1)
            {
                foreach (var l in Json.OptionalArray(root, "fsLayers", what))
                {
                    var sum = Json.RequireString(l, "blobSum", what);
                    try { blobs.Add(Digest.Parse(sum)); }
                    catch (InvalidDigestException e) { throw new ContentFormatException($"In the {what}: {e.Message}", e); }
                }
                return new RegistryManifest(digest, bytes.Length, mediaType ?? DockerSchema1, false, children, blobs);
            }
            if (root.TryGetProperty("manifests", out _) || MediaTypes.IsIndex(mediaType))
            {
                var index = ImageIndex.Parse(bytes, what);
                children.AddRange(index.Manifests);
                return new RegistryManifest(digest, bytes.Length, mediaType ?? MediaTypes.OciIndex, true, children, blobs);
            }
            var manifest = ImageManifest.Parse(bytes, what);
            descriptors.Add(manifest.Config);
            descriptors.AddRange(manifest.Layers);
            foreach (var d in descriptors) blobs.Add(d.Digest);
            return new RegistryManifest(digest, bytes.Length, mediaType ?? MediaTypes.OciManifest, false, children, blobs) { BlobDescriptors = descriptors };
        }

        /// <summary>A descriptor for this manifest, as a names-table root.</summary>
        public Descriptor ToDescriptor() => new Descriptor(MediaType, Digest, Size);

        internal static bool IsManifestLike(Descriptor d) =>
            MediaTypes.IsIndex(d.MediaType) || MediaTypes.IsManifest(d.MediaType) || d.MediaType == DockerSchema1 || string.IsNullOrEmpty(d.MediaType);
    }
}
