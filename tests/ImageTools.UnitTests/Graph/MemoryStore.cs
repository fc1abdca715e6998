using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using ImageTools.Content;
using ImageTools.Oci;
using ImageTools.Stores;

namespace ImageTools.UnitTests.Graph
{
    /// <summary>A store in memory that counts how often each blob is opened.</summary>
    internal sealed class MemoryStore : IImageStore
    {
        private readonly Dictionary<Digest, byte[]> _blobs = new Dictionary<Digest, byte[]>();
        private readonly List<NamedImage> _images = new List<NamedImage>();

        public Dictionary<Digest, int> Opens { get; } = new Dictionary<Digest, int>();

        public string Location => "memory";
        public StoreKind Kind => StoreKind.OciLayout;
        public IReadOnlyList<NamedImage> Images => _images;
        public IReadOnlyList<ImageToolsException> Problems => Array.Empty<ImageToolsException>();

        public Descriptor Add(string json, string mediaType)
        {
            var bytes = Encoding.UTF8.GetBytes(json);
            var digest = DigestAlgorithms.Compute(Digest.Sha256, bytes);
            _blobs[digest] = bytes;
            return new Descriptor(mediaType, digest, bytes.Length);
        }

        public void Name(string name, Descriptor root) => _images.Add(new NamedImage(name, root));

        public bool HasBlob(Digest digest) => _blobs.ContainsKey(digest);

        public Stream OpenBlob(Digest digest)
        {
            if (!_blobs.TryGetValue(digest, out var bytes))
                throw new ImageToolsException(ErrorId.BlobNotFound, $"Blob {digest} is not in memory.", digest.ToString(), Location);
            Opens[digest] = Opens.TryGetValue(digest, out var n) ? n + 1 : 1;
            return new MemoryStream(bytes, false);
        }

        public string DescribeBlob(Digest digest) => "memory:" + digest;
        public IEnumerable<Digest> EnumerateBlobs() => _blobs.Keys;
        public void Dispose() { }

        /// <summary>A one-layer image: config (linux/amd64) and manifest; returns the manifest's descriptor.</summary>
        public Descriptor AddImage(string arch = "amd64", string layerText = "layer")
        {
            var layer = Add(layerText, MediaTypes.OciLayer);
            var config = Add("{\"architecture\":\"" + arch + "\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + layer.Digest + "\"]}}", MediaTypes.OciConfig);
            return Add("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OciManifest + "\",\"config\":" + Json(config) + ",\"layers\":[" + Json(layer) + "]}", MediaTypes.OciManifest);
        }

        /// <summary>An index listing <paramref name="child"/> <paramref name="times"/> times.</summary>
        public Descriptor AddIndex(Descriptor child, int times, string? platform = null)
        {
            var entries = new List<string>();
            for (int i = 0; i < times; i++) entries.Add(Json(child, platform));
            return Add("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OciIndex + "\",\"manifests\":[" + string.Join(",", entries) + "]}", MediaTypes.OciIndex);
        }

        public static string Json(Descriptor d, string? platform = null)
        {
            var p = platform == null ? "" : ",\"platform\":{\"os\":\"linux\",\"architecture\":\"" + platform + "\"}";
            return "{\"mediaType\":\"" + d.MediaType + "\",\"digest\":\"" + d.Digest + "\",\"size\":" + d.Size + p + "}";
        }
    }
}
