using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using ImageTools.Oci;

namespace ImageTools.Stores.RegistryHttp
{
    /// <summary>
    /// One image in a repository of a registry over HTTP, seen as a store: its names table is the reference asked
    /// for, manifests come from <c>/manifests/</c> (kept, small), every other blob streams from <c>/blobs/</c> when it
    /// is read, and <see cref="HasBlob"/> is a HEAD. The graph above verifies every byte as for any store.
    /// </summary>
    public sealed class RemoteRepositoryStore : IImageStore
    {
        private readonly ConcurrentDictionary<Digest, RemoteManifest> _manifests = new ConcurrentDictionary<Digest, RemoteManifest>();
        private readonly ConcurrentDictionary<Digest, bool> _present = new ConcurrentDictionary<Digest, bool>();
        private readonly ConcurrentDictionary<Digest, long> _sizes = new ConcurrentDictionary<Digest, long>();
        private readonly ConcurrentDictionary<Digest, byte> _manifestDigests = new ConcurrentDictionary<Digest, byte>();
        private readonly List<NamedImage> _images = new List<NamedImage>();

        private RemoteRepositoryStore(RegistryApi api, ImageReference reference)
        {
            Api = api;
            Reference = reference;
            Location = reference.Domain + "/" + reference.Path;
        }

        /// <summary>Resolves a reference (tag or digest) at its registry; ImageNotFound when the registry has no such manifest.</summary>
        public static RemoteRepositoryStore Open(ImageReference reference, RegistryOptions options)
        {
            var api = new RegistryApi(RegistryClient.For(reference.Domain, options), reference.Path);
            var store = new RemoteRepositoryStore(api, reference);
            string tagOrDigest = reference.Digest?.ToString() ?? reference.Tag ?? "latest";
            var root = api.GetManifest(tagOrDigest)
                ?? throw new ImageToolsException(ErrorId.ImageNotFound,
                    $"The registry {api.Client.Host} has no manifest {reference.Path}{(reference.Digest != null ? "@" : ":")}{tagOrDigest}.", reference.ToString(), api.Client.Host);
            store.Keep(root);
            string name = reference.Tag == null && reference.Digest == null ? reference.WithTag("latest").ToString() : reference.ToString();
            store._images.Add(new NamedImage(name, root.Descriptor));
            return store;
        }

        public RegistryApi Api { get; }

        /// <summary>The reference the store was opened for.</summary>
        public ImageReference Reference { get; }

        /// <summary>registry/repository, e.g. <c>127.0.0.1:5000/team/app</c>.</summary>
        public string Location { get; }

        public StoreKind Kind => StoreKind.RemoteRegistry;
        public IReadOnlyList<NamedImage> Images => _images;
        public IReadOnlyList<ImageToolsException> Problems => Array.Empty<ImageToolsException>();

        /// <summary>The root manifest or index exactly as the registry served it.</summary>
        public RemoteManifest RootManifest => _manifests[_images[0].Root.Digest];

        public bool HasBlob(Digest digest)
        {
            if (_manifests.ContainsKey(digest)) return true;
            return _present.GetOrAdd(digest, d => _manifestDigests.ContainsKey(d) ? FetchManifest(d) != null : Api.HasBlob(d));
        }

        public Stream OpenBlob(Digest digest)
        {
            if (_manifests.TryGetValue(digest, out var known)) return new MemoryStream(known.Bytes, writable: false);
            if (_manifestDigests.ContainsKey(digest) && FetchManifest(digest) is RemoteManifest listed) return new MemoryStream(listed.Bytes, writable: false);
            var stream = Api.OpenBlob(digest, _sizes.TryGetValue(digest, out long size) ? size : -1);
            if (stream != null) return stream;
            // a manifest an index lists is not a blob of /blobs/ in every registry
            if (FetchManifest(digest) is RemoteManifest manifest) return new MemoryStream(manifest.Bytes, writable: false);
            throw new ImageToolsException(ErrorId.BlobNotFound, $"The registry {Api.Client.Host} has no blob {digest} in {Api.Repository}.", digest.ToString(), DescribeBlob(digest));
        }

        public string DescribeBlob(Digest digest) => Api.Describe(digest.ToString(), _manifests.ContainsKey(digest) || _manifestDigests.ContainsKey(digest));

        /// <summary>The manifests read so far: a registry cannot list its blobs.</summary>
        public IEnumerable<Digest> EnumerateBlobs() => _manifests.Keys.ToList();

        /// <summary>The manifest another tag of the repository names (a referrers tag), kept so that it reads from here; null when there is no such tag.</summary>
        public RemoteManifest? FindTag(string tag)
        {
            var manifest = Api.GetManifest(tag);
            if (manifest != null) Keep(manifest);
            return manifest;
        }

        /// <summary>Notes that a digest names a manifest (a referrer the referrers API listed): it is read from /manifests/.</summary>
        public void NoteManifest(Digest digest) => _manifestDigests[digest] = 0;

        private RemoteManifest? FetchManifest(Digest digest)
        {
            if (_manifests.TryGetValue(digest, out var known)) return known;
            var manifest = Api.GetManifest(digest.ToString());
            if (manifest != null) Keep(manifest);
            return manifest;
        }

        /// <summary>Keeps a manifest, and notes what it lists: the manifests of an index (fetched from /manifests/), the sizes of blobs (for resumes).</summary>
        private void Keep(RemoteManifest manifest)
        {
            _manifests[manifest.Digest] = manifest;
            try
            {
                using var doc = JsonDocument.Parse(manifest.Bytes);
                var root = doc.RootElement;
                if (root.ValueKind != JsonValueKind.Object) return;
                if (root.TryGetProperty("manifests", out var list) && list.ValueKind == JsonValueKind.Array)
                    foreach (var d in Descriptors(list)) _manifestDigests[d.Digest] = 0;
                if (root.TryGetProperty("config", out var config) && config.ValueKind == JsonValueKind.Object)
                    foreach (var d in Descriptors(new[] { config })) _sizes[d.Digest] = d.Size;
                if (root.TryGetProperty("layers", out var layers) && layers.ValueKind == JsonValueKind.Array)
                    foreach (var d in Descriptors(layers)) _sizes[d.Digest] = d.Size;
            }
            catch (JsonException) { } // the graph reports a malformed manifest when it parses it
        }

        private static IEnumerable<(Digest Digest, long Size)> Descriptors(IEnumerable<JsonElement> items) => Descriptors(items.ToList());

        private static IEnumerable<(Digest Digest, long Size)> Descriptors(JsonElement array) => Descriptors(array.EnumerateArray().ToList());

        private static IEnumerable<(Digest Digest, long Size)> Descriptors(List<JsonElement> items)
        {
            foreach (var e in items)
            {
                if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty("digest", out var d) || d.ValueKind != JsonValueKind.String
                    || !Digest.TryParse(d.GetString(), out var digest)) continue;
                long size = e.TryGetProperty("size", out var s) && s.ValueKind == JsonValueKind.Number && s.TryGetInt64(out long n) ? n : -1;
                yield return (digest!, size);
            }
        }

        public void Dispose() { }
    }
}
