using System.Collections.Generic;
using System.Linq;
using ImageTools.Content;
using ImageTools.Oci;

namespace ImageTools.Stores
{
    /// <summary>
    /// Reads a legacy <c>docker save</c> archive (Docker 24 and older, skopeo's docker-archive): configs and
    /// <c>layer.tar</c> files named by manifest.json. Such an archive keeps no image manifest, so one is
    /// synthesized per image: uncompressed layers are addressed by their DiffID (no hashing needed), compressed
    /// <c>layer.tar</c> files (as dotnet/sdk writes them) by the digest of their bytes.
    /// </summary>
    internal sealed class LegacyDockerArchive
    {
        private readonly ArchiveStore _store;

        public LegacyDockerArchive(ArchiveStore store) { _store = store; }

        public void Load()
        {
            var tar = _store.Tar;
            List<DockerManifestEntry> entries;
            try { entries = DockerManifestEntry.Parse(tar.ReadAll(tar.Find("manifest.json")!, BlobReader.MaxManifestSize), $"manifest.json of {_store.Location}"); }
            catch (ContentFormatException e) { throw StoreErrors.Malformed(_store.Location + ":manifest.json", e.Message, e); }

            for (int i = 0; i < entries.Count; i++)
            {
                try
                {
                    var root = Synthesize(entries[i], i);
                    if (entries[i].RepoTags.Count == 0) _store.AddImage(new NamedImage(null, root));
                    foreach (var tag in entries[i].RepoTags) _store.AddImage(new NamedImage(tag, root));
                }
                catch (System.Exception e) when (e is ImageToolsException || e is ContentFormatException)
                {
                    var id = e is ImageToolsException ie ? ie.ErrorId : ErrorId.MalformedContent;
                    _store.AddProblem(new ImageToolsException(id,
                        $"{_store.Location}: manifest.json entry {i} ({string.Join(", ", entries[i].RepoTags)}) is skipped: {e.Message}", _store.Location, _store.Location, e));
                }
            }
        }

        private Descriptor Synthesize(DockerManifestEntry entry, int position)
        {
            var tar = _store.Tar;
            var configEntry = tar.Find(entry.Config) ?? throw Missing(entry.Config, "config");
            byte[] configBytes = tar.ReadAll(configEntry, BlobReader.MaxConfigSize);
            var configDigest = DigestAlgorithms.Compute(Digest.Sha256, configBytes);
            var stated = StatedDigest(entry.Config);
            if (stated != null && stated != configDigest)
                throw new BlobVerificationException(ErrorId.DigestMismatch,
                    $"the config '{entry.Config}' does not match the digest its name states ({stated}): its content hashes to {configDigest}",
                    stated, $"{_store.Location}:{configEntry.Name}", configDigest, configBytes.Length);
            var config = ImageConfig.Parse(configBytes, $"config {entry.Config}");
            if (config.DiffIds.Count != entry.Layers.Count)
                throw new ContentFormatException($"config {entry.Config} lists {config.DiffIds.Count} diff_ids but manifest.json lists {entry.Layers.Count} layers");
            _store.AddBlob(configDigest, configEntry);

            var layers = new List<Descriptor>();
            for (int i = 0; i < entry.Layers.Count; i++)
            {
                var diffId = config.DiffIds[i];
                var layerEntry = tar.Find(entry.Layers[i]);
                if (layerEntry == null)
                {
                    if (entry.LayerSources.TryGetValue(diffId.ToString(), out var foreign)) { layers.Add(foreign); continue; }
                    throw Missing(entry.Layers[i], "layer");
                }
                layers.Add(DescribeLayer(layerEntry, diffId));
            }
            var manifest = new ImageManifest(MediaTypes.DockerManifest,
                new Descriptor(MediaTypes.DockerConfig, configDigest, configBytes.Length), layers);
            byte[] bytes = ContentJson.Serialize(manifest);
            var digest = DigestAlgorithms.Compute(Digest.Sha256, bytes);
            _store.AddSynthesized(digest, bytes);
            return new Descriptor(MediaTypes.DockerManifest, digest, bytes.Length);
        }

        private Descriptor DescribeLayer(TarEntry layerEntry, Digest diffId)
        {
            Compression compression;
            using (var s = _store.Tar.Open(layerEntry))
                compression = CompressionDetector.Sniff(s, out _);
            if (compression == Compression.None)
            {
                _store.AddBlob(diffId, layerEntry);
                return new Descriptor(MediaTypes.DockerLayer, diffId, layerEntry.Size);
            }
            DigestResult hashed;
            using (var s = _store.Tar.Open(layerEntry))
                hashed = StreamDigester.Digest(s, Digest.Sha256);
            _store.AddBlob(hashed.Digest, layerEntry);
            string mediaType = compression == Compression.Gzip ? MediaTypes.DockerLayerGzip : MediaTypes.OciLayerZstd;
            return new Descriptor(mediaType, hashed.Digest, hashed.Size);
        }

        /// <summary>
        /// The digest a config's name states: <c>&lt;hex&gt;.json</c> (docker save, skopeo) or <c>blobs/&lt;alg&gt;/&lt;hex&gt;</c>;
        /// null for a name that states none.
        /// </summary>
        internal static Digest? StatedDigest(string name)
        {
            var parts = name.Split('/');
            string file = parts[parts.Length - 1];
            if (parts.Length >= 3 && parts[parts.Length - 3] == "blobs" && Digest.TryParse(parts[parts.Length - 2] + ":" + file, out var blob)) return blob;
            if (file.EndsWith(".json", System.StringComparison.Ordinal) && Digest.TryParse("sha256:" + file.Substring(0, file.Length - 5), out var id)) return id;
            return null;
        }

        private ImageToolsException Missing(string path, string what) =>
            new ImageToolsException(ErrorId.BlobNotFound, $"the {what} '{path}' named in manifest.json is not in the archive", path, _store.Location);
    }
}
