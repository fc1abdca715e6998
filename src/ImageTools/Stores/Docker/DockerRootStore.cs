using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ImageTools.Content;
using ImageTools.Oci;

namespace ImageTools.Stores.Docker
{
    /// <summary>
    /// A Docker data root (<c>/var/lib/docker</c>, graphdriver image store) as an image store. Docker keeps no
    /// manifests and no compressed layers, so they are synthesized as <c>docker save</c> (Docker 25+) writes
    /// them: an OCI manifest per image with config media type <c>application/vnd.oci.image.config.v1+json</c> and
    /// uncompressed layers (<c>application/vnd.oci.image.layer.v1.tar</c>) whose digests are the DiffIDs. A layer's
    /// bytes are reassembled by replaying its <c>tar-split.json.gz</c> over the driver directory, so they hash to the DiffID.
    /// </summary>
    public sealed class DockerRootStore : IImageStore, IStoreNotes, IBlobsWithOwnChecks
    {
        private readonly Dictionary<Digest, byte[]> _manifests = new Dictionary<Digest, byte[]>();
        private Dictionary<Digest, DockerLayer>? _layersByDiffIdMap;
        private readonly Dictionary<Digest, long> _tarLength = new Dictionary<Digest, long>();
        private readonly List<ImageToolsException> _problems = new List<ImageToolsException>();
        private List<NamedImage>? _images;

        public DockerRootStore(string path) : this(DockerRoot.Examine(path)) { }

        internal DockerRootStore(DockerRootKind kind)
        {
            Root = DockerRoot.Open(kind);
        }

        /// <summary>The layers whose tar can be reassembled, by DiffID; made when first needed (it reads the layers' tar-split presence).</summary>
        private Dictionary<Digest, DockerLayer> _layersByDiffId
        {
            get
            {
                if (_layersByDiffIdMap != null) return _layersByDiffIdMap;
                var map = new Dictionary<Digest, DockerLayer>();
                foreach (var layer in Root.Layers)
                    if (layer.DiffIdValue != null && layer.HasTarSplit && layer.DiffPath != null && !map.ContainsKey(layer.DiffIdValue))
                        map[layer.DiffIdValue] = layer;
                return _layersByDiffIdMap = map;
            }
        }

        public static bool Recognize(string path) => DockerRoot.Recognize(path);

        internal DockerRoot Root { get; }

        public string Location => Root.Location;
        public StoreKind Kind => StoreKind.DockerRoot;
        public string Driver => Root.Driver;

        public IReadOnlyList<NamedImage> Images => _images ??= Synthesize();

        public IReadOnlyList<string> Notes => Root.Notes;

        /// <summary>What the data root's files could not tell (a bad cache-id, a path leading out of the root...), then the images that were skipped.</summary>
        public IReadOnlyList<ImageToolsException> Problems
        {
            get { _ = Images; return Root.Errors.Concat(_problems).ToList(); }
        }

        private List<NamedImage> Synthesize()
        {
            var list = new List<NamedImage>();
            foreach (var image in Root.Images)
            {
                Descriptor root;
                try { root = SynthesizeManifest(image); }
                catch (Exception e) when (ExpectedFailures.IsExpected(e))
                {
                    _problems.Add(e as ImageToolsException ?? new ImageToolsException(ErrorId.MalformedContent,
                        $"{Location}: image {image.Id} is skipped: {e.Message}", image.Id.ToString(), Location, e));
                    continue;
                }
                var names = image.RepoTags.Length > 0 ? image.RepoTags : image.RepoDigests;
                if (names.Length == 0) list.Add(new NamedImage(null, root));
                foreach (var n in names) list.Add(new NamedImage(n, root));
            }
            return list;
        }

        private Descriptor SynthesizeManifest(DockerImage image)
        {
            var configInfo = new FileInfo(image.ConfigPath);
            var layers = new List<Descriptor>();
            for (int i = 0; i < image.DiffIdValues.Length; i++)
            {
                var diffId = image.DiffIdValues[i];
                var layer = Root.FindLayer(image.LayerChainIdValues[i]);
                if (layer == null || !layer.HasTarSplit || layer.DiffPath == null)
                {
                    if (!_layersByDiffId.TryGetValue(diffId, out layer))
                        throw new ImageToolsException(ErrorId.BlobNotFound,
                            $"its layer {i + 1} (DiffID {diffId}, ChainID {image.LayerChainIds[i]}) has no layerdb entry with a tar-split and a directory, so its bytes cannot be reassembled",
                            diffId.ToString(), Location);
                }
                else if (!_layersByDiffId.ContainsKey(diffId)) _layersByDiffId[diffId] = layer;
                layers.Add(new Descriptor(MediaTypes.OciLayer, diffId, TarLength(diffId, layer)));
            }
            var manifest = new ImageManifest(MediaTypes.OciManifest, new Descriptor(MediaTypes.OciConfig, image.IdValue, configInfo.Length), layers);
            byte[] bytes = ContentJson.Serialize(manifest);
            var digest = DigestAlgorithms.Compute(Digest.Sha256, bytes);
            _manifests[digest] = bytes;
            return new Descriptor(MediaTypes.OciManifest, digest, bytes.Length);
        }

        private long TarLength(Digest diffId, DockerLayer layer)
        {
            if (_tarLength.TryGetValue(diffId, out long n)) return n;
            layer.Root.Boundary.CheckFile(layer.TarSplitPath!, "tar-split file");
            n = TarSplitReader.TarLength(layer.TarSplitPath!);
            _tarLength[diffId] = n;
            return n;
        }

        private string ConfigPath(Digest digest) => Path.Combine(Root.ImageRoot, "imagedb", "content", digest.Algorithm, digest.Encoded);

        public bool HasBlob(Digest digest)
        {
            _ = Images;
            return _manifests.ContainsKey(digest) || _layersByDiffId.ContainsKey(digest) || Root.FindImage(digest) != null;
        }

        public Stream OpenBlob(Digest digest)
        {
            _ = Images;
            if (_manifests.TryGetValue(digest, out var bytes)) return new MemoryStream(bytes, false);
            if (Root.FindImage(digest) != null && File.Exists(ConfigPath(digest)))
                return Root.Boundary.OpenFile(ConfigPath(digest), "image config");
            if (_layersByDiffId.TryGetValue(digest, out var layer))
                return OpenLayer(layer);
            throw StoreErrors.BlobNotFound(this, digest);
        }

        /// <summary>A layer without the CRC-64 check of each file: the caller checks the whole layer against its DiffID. Sizes are still checked.</summary>
        Stream IBlobsWithOwnChecks.OpenBlobForDigestCheck(Digest digest)
        {
            _ = Images;
            return _layersByDiffId.TryGetValue(digest, out var layer) ? OpenLayer(layer, checkCrc: false) : OpenBlob(digest);
        }

        /// <summary>Replays the layer again with its CRC-64 checks, which name the file that changed (TarSplitMismatch).</summary>
        void IBlobsWithOwnChecks.ExplainMismatch(Digest digest)
        {
            _ = Images;
            if (!_layersByDiffId.TryGetValue(digest, out var layer)) return;
            using var replay = OpenLayer(layer);
            replay.CopyTo(Stream.Null, 1 << 20);
        }

        /// <summary>The layer tar reassembled from tar-split and the driver directory (CRC-64 checked per file unless <paramref name="checkCrc"/> is false).</summary>
        internal static Stream OpenLayer(DockerLayer layer, bool checkCrc = true)
        {
            if (!layer.HasTarSplit || layer.DiffPath == null)
                throw new ImageToolsException(ErrorId.BlobNotFound,
                    $"Layer {layer.ChainId} cannot be reassembled: " + (!layer.HasTarSplit ? $"{layer.LayerDbPath} has no tar-split.json.gz." : "its directory is not known."),
                    layer.ChainId.ToString(), layer.LayerDbPath);
            if (!layer.Root.Boundary.DirectoryExists(layer.DiffPath, $"diff directory of layer {layer.ChainId}"))
                throw new ImageToolsException(ErrorId.FileNotFound,
                    $"Layer {layer.ChainId} cannot be reassembled: its directory {layer.DiffPath} does not exist.", layer.DiffPath, layer.LayerDbPath);
            layer.Root.Boundary.CheckFile(layer.TarSplitPath!, "tar-split file");
            return new TarSplitReplayStream(TarSplitReader.OpenGzip(layer.TarSplitPath!), new DiffDirectorySource(layer.DiffPath), checkCrc);
        }

        public string DescribeBlob(Digest digest)
        {
            if (_manifests.ContainsKey(digest)) return $"{Location} (synthesized manifest)";
            if (_layersByDiffId.TryGetValue(digest, out var layer)) return $"{layer.TarSplitPath} replayed over {layer.DiffPath}";
            return ConfigPath(digest);
        }

        public IEnumerable<Digest> EnumerateBlobs()
        {
            _ = Images;
            foreach (var d in _manifests.Keys) yield return d;
            foreach (var i in Root.Images) yield return i.IdValue;
            foreach (var d in _layersByDiffId.Keys) yield return d;
        }

        public void Dispose() { }
    }
}
