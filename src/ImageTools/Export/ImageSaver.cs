using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using ImageTools.Content;
using ImageTools.Oci;
using ImageTools.Graph;
using ImageTools.Stores;

namespace ImageTools.Export
{
    /// <summary>
    /// Saves images from any stores into one archive or layout, docker save style: every blob once, each digested
    /// as it is copied and checked against its descriptor; a mismatch stops the save and nothing is left behind.
    /// Blobs copied unchanged from registries over HTTP move ahead, several at once (<see cref="BlobPrefetch"/>).
    /// Progress goes to a <see cref="TransferProgress"/> that the command reads from its own thread.
    /// </summary>
    internal sealed class ImageSaver
    {
        internal static readonly byte[] OciLayoutFile = Encoding.UTF8.GetBytes("{\"imageLayoutVersion\":\"1.0.0\"}");

        private readonly SaveOptions _options;
        private readonly IBlobSink _sink;
        private readonly string _tempDirectory;
        private readonly CancellationToken _cancel;
        private readonly TransferProgress _progress;
        private BlobPrefetch? _prefetch;
        private readonly Dictionary<(IImageStore, Digest), Descriptor> _rewritten = new Dictionary<(IImageStore, Digest), Descriptor>();

        public ImageSaver(SaveOptions options, IBlobSink sink, string tempDirectory, CancellationToken cancel, TransferProgress? progress = null)
        {
            _options = options;
            _sink = sink;
            _tempDirectory = tempDirectory;
            _cancel = cancel;
            _progress = progress ?? new TransferProgress();
        }

        public int BlobCount { get; private set; }

        public (IReadOnlyList<WrittenImage> Images, Digest? ArchiveDigest) Save(IReadOnlyList<SaveEntry> entries)
        {
            var plans = entries.Select(e => Guard(e, () => SavePlan.Create(e, _options))).ToList();
            _progress.TotalBytes = TotalBytes(plans);
            if (_options.Format != SaveFormat.OciLayout) _sink.AddFile("oci-layout", OciLayoutFile);
            List<WrittenImage> written;
            using (_prefetch = new BlobPrefetch(_sink, _tempDirectory, _options.Throttle, _progress, _cancel))
            {
                _prefetch.Start(plans.SelectMany(BlobsToMoveAhead));
                written = plans.Select(p => Guard(p.Entry, () => Write(p))).ToList();
            }
            _prefetch = null;

            _sink.AddFile("index.json", OciIndexFile.Build(written, _options.Format, _sink.ExistingIndex));
            if (_options.Format == SaveFormat.DockerArchive)
            {
                // artifacts are no images docker could load: index.json lists them, manifest.json does not
                var images = written.Where(w => !w.Entry.IsReferrer).ToList();
                _sink.AddFile("manifest.json", DockerArchiveMetadata.ManifestJson(images));
                var repositories = DockerArchiveMetadata.Repositories(images);
                if (repositories != null) _sink.AddFile("repositories", repositories);
            }
            if (_options.Format == SaveFormat.OciLayout && _sink.ExistingIndex == null) _sink.AddFile("oci-layout", OciLayoutFile);
            _cancel.ThrowIfCancellationRequested(); // Ctrl+C before the result is in place: nothing is published
            return (written, _sink.Commit());
        }

        /// <summary>The blobs of a plan that are copied as they are from a slow store: configs, and layers unless re-encoded (foreign layers stay out).</summary>
        private IEnumerable<(IImageStore, Descriptor)> BlobsToMoveAhead(SavePlan plan)
        {
            if (!BlobPrefetch.IsSlow(plan.Entry.Store)) yield break;
            foreach (var m in plan.Manifests)
            {
                yield return (plan.Entry.Store, m.Manifest.Config);
                if (_options.Compression != LayerCompression.Keep) continue;
                foreach (var layer in m.Manifest.Layers.Where(l => l.Urls.Count == 0)) yield return (plan.Entry.Store, layer);
            }
        }

        private static long TotalBytes(IEnumerable<SavePlan> plans)
        {
            var seen = new HashSet<Digest>();
            long total = 0;
            foreach (var plan in plans)
                foreach (var m in plan.Manifests)
                    foreach (var d in new[] { m.Descriptor, m.Manifest.Config }.Concat(m.Manifest.Layers))
                        if (seen.Add(d.Digest)) total += d.Size;
            return total;
        }

        private WrittenImage Write(SavePlan plan)
        {
            var store = plan.Entry.Store;
            _progress.Label = plan.Entry.Label;
            WrittenImage? primary = null;
            var manifestDescriptors = new List<(ResolvedManifest Source, Descriptor Written)>();
            foreach (var m in plan.Manifests)
            {
                var image = WriteManifest(plan.Entry, m);
                manifestDescriptors.Add((m, image.Manifest));
                if (m == plan.Primary) primary = image;
            }
            if (primary == null) throw new InvalidOperationException("a save plan's primary manifest is one of its manifests");
            var root = plan.Entry.IsReferrer ? primary.Root
                : plan.KeepIndex || plan.NewIndex ? WriteIndex(store, plan, manifestDescriptors) : WithPlatformOf(primary.Manifest, plan.Primary);
            return new WrittenImage(plan.Entry, root, primary.Manifest, primary.Config, primary.Layers, primary.ForeignLayers);
        }

        private static Descriptor WithPlatformOf(Descriptor written, ResolvedManifest source) =>
            new Descriptor(written.MediaType, written.Digest, written.Size, null, source.Platform);

        /// <summary>An artifact is copied blob for blob: re-encoding its "layers" (an SPDX document, a signature) would change what was signed.</summary>
        private WrittenImage CopyAsStored(SaveEntry entry, ResolvedManifest m)
        {
            var store = entry.Store;
            CopyBlob(store, m.Manifest.Config);
            foreach (var layer in m.Manifest.Layers) CopyBlob(store, layer);
            CopyBlob(store, m.Descriptor);
            var root = new Descriptor(m.Descriptor.MediaType, m.Descriptor.Digest, m.Descriptor.Size, null, null, null, entry.Root.ArtifactType);
            return new WrittenImage(entry, root, m.Descriptor, m.Manifest.Config, m.Manifest.Layers, Array.Empty<Descriptor>());
        }

        private WrittenImage WriteManifest(SaveEntry entry, ResolvedManifest m)
        {
            var store = entry.Store;
            var manifest = m.Manifest;
            CopyBlob(store, manifest.Config);
            if (entry.IsReferrer) return CopyAsStored(entry, m);
            IReadOnlyList<Digest> diffIds = _options.Compression == LayerCompression.Keep
                ? Array.Empty<Digest>()
                : StoreGraph.Of(store).Config(manifest.Config).DiffIds;
            if (_options.Compression != LayerCompression.Keep && diffIds.Count != manifest.Layers.Count)
                throw new ImageToolsException(ErrorId.DiffIdMismatch,
                    $"The config {manifest.Config.Digest} lists {diffIds.Count} DiffIDs for {manifest.Layers.Count} layers; its layers cannot be re-encoded and checked.", manifest.Config.Digest.ToString(), store.Location);
            var layers = new List<Descriptor>();
            var foreign = new List<Descriptor>();
            bool changed = false;
            for (int i = 0; i < manifest.Layers.Count; i++)
            {
                var layer = manifest.Layers[i];
                // the URL test first: HasBlob is a request for a registry
                if (layer.Urls.Count > 0 && !store.HasBlob(layer.Digest))
                {
                    foreign.Add(layer);
                    layers.Add(layer);
                    continue;
                }
                var written = WriteLayer(store, layer, i < diffIds.Count ? diffIds[i] : null);
                changed |= written.Digest != layer.Digest;
                layers.Add(written);
            }
            if (!changed)
            {
                CopyBlob(store, m.Descriptor);
                return new WrittenImage(entry, m.Descriptor, m.Descriptor, manifest.Config, layers, foreign);
            }
            var config = new Descriptor(MediaTypes.OciConfig, manifest.Config.Digest, manifest.Config.Size, manifest.Config.Annotations);
            var rewritten = new ImageManifest(MediaTypes.OciManifest, config, layers, manifest.Annotations, manifest.Subject, manifest.ArtifactType);
            var descriptor = AddGenerated(ContentJson.Serialize(rewritten), MediaTypes.OciManifest);
            return new WrittenImage(entry, descriptor, descriptor, config, layers, foreign);
        }

        private Descriptor WriteLayer(IImageStore store, Descriptor layer, Digest? diffId)
        {
            // a layer shared by several images is transcoded (and its bytes sniffed) once
            if (_rewritten.TryGetValue((store, layer.Digest), out var done)) return done;
            var target = LayerTranscoder.Target(_options.Compression);
            if (target == Compression.Unknown || Sniff(store, layer) == target)
            {
                CopyBlob(store, layer);
                return layer;
            }
            string temp = TempFiles.In(_tempDirectory, "layer");
            try
            {
                var result = LayerTranscoder.Transcode(store, layer, diffId, target, temp, _cancel);
                if (!_sink.Has(result.Digest, result.Size))
                {
                    using var content = new VerifyingStream(File.OpenRead(temp), result.Digest, result.Size, temp);
                    AddToSink(result, content);
                }
                _rewritten[(store, layer.Digest)] = result;
                return result;
            }
            finally { TempFiles.Delete(temp); }
        }

        private static Compression Sniff(IImageStore store, Descriptor layer)
        {
            using var s = store.OpenBlob(layer.Digest);
            return CompressionDetector.Sniff(s, out _);
        }

        private Descriptor WriteIndex(IImageStore store, SavePlan plan, List<(ResolvedManifest Source, Descriptor Written)> manifests)
        {
            if (plan.KeepIndex && manifests.All(m => m.Source.Descriptor.Digest == m.Written.Digest))
            {
                foreach (var index in plan.Indexes) CopyBlob(store, index.Descriptor);
                return plan.Entry.Root;
            }
            // Layers were re-encoded, so manifests changed, or one platform goes with its attestation manifest:
            // one new index lists them, with their platforms and annotations.
            var children = manifests.Select(m => new Descriptor(m.Written.MediaType, m.Written.Digest, m.Written.Size,
                m.Source.Descriptor.Annotations, m.Source.Platform)).ToList();
            return AddGenerated(ContentJson.SerializeIndex(children), MediaTypes.OciIndex);
        }

        private Descriptor AddGenerated(byte[] content, string mediaType)
        {
            var digest = DigestAlgorithms.Compute(Digest.Sha256, content);
            var descriptor = new Descriptor(mediaType, digest, content.Length);
            if (!_sink.Has(digest, content.Length)) AddToSink(descriptor, new MemoryStream(content, false));
            return descriptor;
        }

        private void CopyBlob(IImageStore store, Descriptor d)
        {
            var ahead = _prefetch?.Take(d.Digest);
            if (ahead?.Kind == PrefetchedKind.Added) BlobCount++;
            if (ahead?.Kind == PrefetchedKind.Staged)
            {
                // moved and verified already (its bytes counted then); copied into the archive in order
                if (!_sink.Has(d.Digest, d.Size))
                    using (var staged = new FileStream(ahead.StagedFile!, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16))
                    {
                        _sink.AddBlob(d.Digest, d.Size, staged, _cancel, null);
                        BlobCount++;
                    }
                TempFiles.Delete(ahead.StagedFile!);
            }
            if (ahead != null) return;
            if (_sink.Has(d.Digest, d.Size))
            {
                _progress.Finish(d.Digest, d.Size);
                return;
            }
            if (_sink is IVerifyingBlobSink verifying)
            {
                // the archive verifies the blob from the buffers it hashes for its own digest: one pass over each byte
                DigestAlgorithms.RequireSupported(d.Digest, store.Location);
                // a store's own checks (a Docker root's CRC-64 of every file) repeat the digest's: they run only to name what changed
                var ownChecks = store as IBlobsWithOwnChecks;
                using var raw = ownChecks?.OpenBlobForDigestCheck(d.Digest) ?? store.OpenBlob(d.Digest);
                var location = store.DescribeBlob(d.Digest);
                try { AddToSink(d, (size, progress) => verifying.AddUnverifiedBlob(d.Digest, size, raw, location, _cancel, progress)); }
                catch (BlobVerificationException) when (ownChecks != null)
                {
                    ownChecks.ExplainMismatch(d.Digest);
                    throw;
                }
                return;
            }
            // Large blobs are hashed on a thread of their own, beside the one reading and the one writing the archive.
            using var content = BlobReader.OpenVerified(store, d, hashInBackground: d.Size > (4 << 20));
            AddToSink(d, content);
        }

        private void AddToSink(Descriptor d, Stream content) =>
            AddToSink(d, (size, progress) => _sink.AddBlob(d.Digest, size, content, _cancel, progress));

        private void AddToSink(Descriptor d, Action<long, Action<long>> add)
        {
            var moving = _progress.Start(d.Digest, d.Size);
            try { add(d.Size, n => moving.Bytes = n); }
            catch
            {
                _progress.Abandon(d.Digest);
                throw;
            }
            _progress.Finish(d.Digest, d.Size);
            BlobCount++;
        }

        private static T Guard<T>(SaveEntry entry, Func<T> action)
        {
            try { return action(); }
            catch (ImageToolsException e)
            {
                throw new ImageToolsException(e.ErrorId, $"Saving {entry.Label} failed: {e.Message}", e.Target ?? entry.Label, e.Location, e);
            }
        }
    }
}
