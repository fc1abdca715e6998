using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text.Json;
using ImageTools.Oci;
using ImageTools.Stores;

namespace ImageTools.Graph
{
    /// <summary>
    /// One store's image graph: root -> index -> manifests -> config. Each blob is read, verified and parsed once,
    /// and each root walked once, for as long as the store is open; every command that follows an image from the
    /// pipeline (Get-Image | Get-ImageManifest | Test-ImageBlob) reaches the same graph through the store it carries.
    /// A walk remembers what it has walked, so a DAG of indexes costs one visit per distinct blob; a cycle is reported.
    /// </summary>
    public sealed class StoreGraph
    {
        /// <summary>Indexes nested deeper than this are refused (real images nest one or two).</summary>
        public const int MaxDepth = 8;

        private static readonly ConditionalWeakTable<IImageStore, StoreGraph> Graphs = new ConditionalWeakTable<IImageStore, StoreGraph>();

        private readonly object _lock = new object();
        private readonly Dictionary<(Digest, long, BlobRole), object> _parsed = new Dictionary<(Digest, long, BlobRole), object>();
        private readonly Dictionary<(Digest, long, string), ImageWalk> _walks = new Dictionary<(Digest, long, string), ImageWalk>();
        private readonly Dictionary<Digest, Compression> _compression = new Dictionary<Digest, Compression>();

        private StoreGraph(IImageStore store) { Store = store; }

        /// <summary>The graph of a store (one per open store).</summary>
        public static StoreGraph Of(IImageStore store) => Graphs.GetValue(store, s => new StoreGraph(s));

        public IImageStore Store { get; }

        private enum BlobRole { Index, Manifest, Unknown, Config }

        /// <summary>True when the descriptor is an index: by media type, or by content when the media type says neither.</summary>
        public bool IsIndex(Descriptor d) => Node(d) is ImageIndex;

        public ImageIndex Index(Descriptor d) =>
            Node(d) as ImageIndex ?? throw Malformed(d, "it is an image manifest, not an index");

        public ImageManifest Manifest(Descriptor d) =>
            Node(d) as ImageManifest ?? throw Malformed(d, "it is an image index, not a manifest");

        public ImageConfig Config(Descriptor d) =>
            (ImageConfig)Cached(d, BlobRole.Config, bytes => ImageConfig.Parse(bytes, $"config {d.Digest}"), BlobReader.MaxConfigSize);

        /// <summary>How a layer's stored bytes are compressed, from its first bytes (read once); Unknown when the store lacks it or it cannot be read.</summary>
        public Compression CompressionOf(Descriptor layer, Action<Exception>? onError = null)
        {
            lock (_lock)
            {
                if (_compression.TryGetValue(layer.Digest, out var known)) return known;
                var found = Compression.Unknown;
                if (Store.HasBlob(layer.Digest))
                {
                    try
                    {
                        using var s = Store.OpenBlob(layer.Digest);
                        found = Content.CompressionDetector.Sniff(s, out _);
                    }
                    // A blob that is there but cannot be opened (a FIFO, a device) is worth saying; a read error is not, here.
                    catch (ImageToolsException e) when (onError != null) { onError(e); }
                    catch (Exception e) when (ExpectedFailures.IsExpected(e)) { }
                }
                _compression[layer.Digest] = found;
                return found;
            }
        }

        /// <summary>An index or a manifest, as its media type says (or its content, when the media type is neither).</summary>
        private object Node(Descriptor d)
        {
            var role = MediaTypes.IsIndex(d.MediaType) ? BlobRole.Index : MediaTypes.IsManifest(d.MediaType) ? BlobRole.Manifest : BlobRole.Unknown;
            return Cached(d, role, bytes => role switch
            {
                BlobRole.Index => ImageIndex.Parse(bytes, $"index {d.Digest}"),
                BlobRole.Manifest => ImageManifest.Parse(bytes, $"manifest {d.Digest}"),
                _ => HasManifestsList(bytes, d) ? (object)ImageIndex.Parse(bytes, $"index {d.Digest}") : ImageManifest.Parse(bytes, $"manifest {d.Digest}"),
            }, BlobReader.MaxManifestSize);
        }

        private static bool HasManifestsList(byte[] bytes, Descriptor d)
        {
            using var doc = Json.ParseDocument(bytes, $"blob {d.Digest}");
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("manifests", out _);
        }

        /// <summary>Reads and parses a blob once; a failure is remembered too, so a broken blob is read once and reported the same way each time.</summary>
        private object Cached(Descriptor d, BlobRole role, Func<byte[], object> parse, long maxSize)
        {
            var key = (d.Digest, d.Size, role);
            lock (_lock)
            {
                if (!_parsed.TryGetValue(key, out var value))
                {
                    try { value = parse(BlobReader.ReadVerified(Store, d, maxSize)); }
                    catch (ContentFormatException e) { value = Malformed(d, e.Message, e); }
                    catch (Exception e) when (ExpectedFailures.IsExpected(e)) { value = e; }
                    _parsed[key] = value;
                }
                if (value is Exception failure) throw failure;
                return value;
            }
        }

        private ImageToolsException Malformed(Descriptor d, string why, Exception? inner = null) =>
            new ImageToolsException(ErrorId.MalformedContent, $"Blob {d.Digest} in {Store.Location} is malformed: {why}",
                d.Digest.ToString(), Store.DescribeBlob(d.Digest), inner);

        /// <summary>Everything the root reaches, walked once (later calls return the same walk).</summary>
        public ImageWalk Walk(Descriptor root)
        {
            var key = (root.Digest, root.Size, root.MediaType ?? "");
            lock (_lock)
            {
                if (_walks.TryGetValue(key, out var done)) return done;
                var walk = new ImageWalk(root);
                new Walker(this, walk).Visit(root, null, isRoot: true);
                _walks[key] = walk;
                return walk;
            }
        }

        /// <summary>One depth-first walk: every index is expanded once, every (manifest, platform) kept once.</summary>
        private sealed class Walker
        {
            private readonly StoreGraph _graph;
            private readonly ImageWalk _walk;
            private readonly List<Descriptor> _path = new List<Descriptor>();
            private readonly HashSet<Digest> _onPath = new HashSet<Digest>();
            private readonly HashSet<Digest> _expanded = new HashSet<Digest>();
            private readonly HashSet<Digest> _unreadable = new HashSet<Digest>();
            private readonly HashSet<(Digest, string?)> _manifests = new HashSet<(Digest, string?)>();

            public Walker(StoreGraph graph, ImageWalk walk)
            {
                _graph = graph;
                _walk = walk;
            }

            public void Visit(Descriptor d, Platform? platform, bool isRoot = false)
            {
                var location = _graph.Store.Location;
                if (_onPath.Contains(d.Digest))
                {
                    _walk.ProblemList.Add(new ImageToolsException(ErrorId.MalformedContent,
                        $"Index {_path[_path.Count - 1].Digest} in {location} lists {d.Digest}, which contains it: the indexes form a cycle ({string.Join(" -> ", _path.Select(p => p.Digest).Append(d.Digest))}).",
                        d.Digest.ToString(), location));
                    return;
                }
                if (_unreadable.Contains(d.Digest)) return;
                if (_path.Count > MaxDepth)
                {
                    _walk.ProblemList.Add(new ImageToolsException(ErrorId.MalformedContent,
                        $"Index {_path[_path.Count - 1].Digest} in {location} nests indexes more than {MaxDepth} deep; {d.Digest} is not read.",
                        d.Digest.ToString(), location));
                    return;
                }
                object node;
                try { node = _graph.Node(d); }
                catch (Exception e) when (ExpectedFailures.IsExpected(e))
                {
                    _unreadable.Add(d.Digest);
                    _walk.UnreadableList.Add(d);
                    _walk.ProblemList.Add(e);
                    return;
                }
                if (node is ImageIndex index)
                {
                    if (isRoot) _walk.RootIsIndex = true;
                    if (!_expanded.Add(d.Digest)) return; // already walked along another path: a DAG, not a cycle
                    _walk.IndexList.Add(new WalkedIndex(d, index, _path.Count));
                    _path.Add(d);
                    _onPath.Add(d.Digest);
                    foreach (var child in index.Manifests)
                    {
                        if (!MediaTypes.IsIndex(child.MediaType) && !MediaTypes.IsManifest(child.MediaType) && !string.IsNullOrEmpty(child.MediaType))
                            continue; // attestations and other artifacts are not platform images
                        Visit(child, child.Platform);
                    }
                    _onPath.Remove(d.Digest);
                    _path.RemoveAt(_path.Count - 1);
                    return;
                }
                var manifest = (ImageManifest)node;
                if (!_manifests.Add((d.Digest, platform?.ToString()))) return;
                if (platform == null)
                {
                    try { platform = PlatformRule.OfConfig(_graph.Config(manifest.Config)); }
                    catch (Exception e) when (ExpectedFailures.IsExpected(e)) { _walk.ProblemList.Add(e); }
                }
                _walk.ManifestList.Add(new ResolvedManifest(d, manifest, platform, _path.ToArray()));
            }
        }
    }
}
