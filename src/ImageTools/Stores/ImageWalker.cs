using System.Collections.Generic;
using ImageTools.Oci;

namespace ImageTools.Stores
{
    /// <summary>A platform manifest reached from a root descriptor, with the platform its index gave it.</summary>
    public sealed class ResolvedManifest
    {
        public ResolvedManifest(Descriptor descriptor, ImageManifest manifest, Platform? platform, IReadOnlyList<Descriptor> indexes)
        {
            Descriptor = descriptor;
            Manifest = manifest;
            Platform = platform;
            Indexes = indexes;
        }

        public Descriptor Descriptor { get; }
        public ImageManifest Manifest { get; }
        public Platform? Platform { get; }

        /// <summary>The indexes passed through on the way from the root, outermost first.</summary>
        public IReadOnlyList<Descriptor> Indexes { get; }
    }

    /// <summary>Walks from a root descriptor through nested indexes down to platform manifests.</summary>
    public static class ImageWalker
    {
        private const int MaxDepth = 8;

        public static ImageIndex ReadIndex(IImageStore store, Descriptor d) =>
            Parse(store, d, () => ImageIndex.Parse(BlobReader.ReadVerified(store, d, BlobReader.MaxManifestSize), $"index {d.Digest}"));

        public static ImageManifest ReadManifest(IImageStore store, Descriptor d) =>
            Parse(store, d, () => ImageManifest.Parse(BlobReader.ReadVerified(store, d, BlobReader.MaxManifestSize), $"manifest {d.Digest}"));

        public static ImageConfig ReadConfig(IImageStore store, Descriptor d) =>
            Parse(store, d, () => ImageConfig.Parse(BlobReader.ReadVerified(store, d, BlobReader.MaxConfigSize), $"config {d.Digest}"));

        /// <summary>True when the descriptor is an index, by media type, or by content when the media type is missing.</summary>
        public static bool IsIndex(IImageStore store, Descriptor d)
        {
            if (MediaTypes.IsIndex(d.MediaType)) return true;
            if (MediaTypes.IsManifest(d.MediaType)) return false;
            var bytes = BlobReader.ReadVerified(store, d, BlobReader.MaxManifestSize);
            using var doc = Json.ParseDocument(bytes, $"blob {d.Digest}");
            return doc.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object && doc.RootElement.TryGetProperty("manifests", out _);
        }

        /// <summary>
        /// Every platform manifest under <paramref name="root"/>. Problems with one child (missing, corrupt) are
        /// passed to <paramref name="onError"/> and the walk goes on with its siblings.
        /// </summary>
        public static IEnumerable<ResolvedManifest> Manifests(IImageStore store, Descriptor root, System.Action<ImageToolsException>? onError = null)
        {
            var results = new List<ResolvedManifest>();
            Walk(store, root, null, new List<Descriptor>(), new HashSet<Digest>(), results, onError);
            return results;
        }

        private static void Walk(IImageStore store, Descriptor d, Platform? platform, List<Descriptor> path,
            HashSet<Digest> visiting, List<ResolvedManifest> results, System.Action<ImageToolsException>? onError)
        {
            if (path.Count > MaxDepth || !visiting.Add(d.Digest))
            {
                Report(onError, new ImageToolsException(ErrorId.MalformedContent,
                    $"Index {d.Digest} in {store.Location} is nested too deep or refers to itself.", d.Digest.ToString(), store.Location));
                return;
            }
            try
            {
                if (IsIndex(store, d))
                {
                    var index = ReadIndex(store, d);
                    path.Add(d);
                    foreach (var child in index.Manifests)
                    {
                        if (!MediaTypes.IsIndex(child.MediaType) && !MediaTypes.IsManifest(child.MediaType) && !string.IsNullOrEmpty(child.MediaType))
                            continue; // attestations and other artifacts are not platform images
                        Walk(store, child, child.Platform, path, visiting, results, onError);
                    }
                    path.RemoveAt(path.Count - 1);
                }
                else
                {
                    results.Add(new ResolvedManifest(d, ReadManifest(store, d), platform, path.ToArray()));
                }
            }
            catch (ImageToolsException e) when (onError != null)
            {
                onError(e);
            }
            finally
            {
                visiting.Remove(d.Digest);
            }
        }

        private static void Report(System.Action<ImageToolsException>? onError, ImageToolsException e)
        {
            if (onError == null) throw e;
            onError(e);
        }

        private static T Parse<T>(IImageStore store, Descriptor d, System.Func<T> parse)
        {
            try { return parse(); }
            catch (ContentFormatException e)
            {
                throw new ImageToolsException(ErrorId.MalformedContent, $"Blob {d.Digest} in {store.Location} is malformed: {e.Message}",
                    d.Digest.ToString(), store.DescribeBlob(d.Digest), e);
            }
        }
    }
}
