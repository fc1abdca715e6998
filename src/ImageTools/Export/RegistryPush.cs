using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ImageTools.Oci;
using ImageTools.Stores;
using ImageTools.Stores.RegistryHttp;

namespace ImageTools.Export
{
    /// <summary>What a push did, blob by blob.</summary>
    internal sealed class PushOutcome
    {
        public Descriptor Root { get; set; } = null!;
        public IReadOnlyList<Platform?> Platforms { get; set; } = Array.Empty<Platform?>();
        public int Present { get; set; }
        public int Mounted { get; set; }
        public int Uploaded { get; set; }
        public long UploadedBytes { get; set; }
    }

    /// <summary>
    /// Pushes one image from any store to a repository of a registry: the blobs first (in parallel, each skipped when
    /// present, mounted when the source is another repository of the same registry, else streamed from the store
    /// and verified as it goes), then the manifests, children before the index, their bytes unchanged so that the
    /// digest stays. Without a platform the whole graph goes (an index with all its platforms); with one, that
    /// platform's manifest alone. The platform choice is Save-Image's (<see cref="SavePlan"/>).
    /// </summary>
    internal static class RegistryPush
    {
        public static PushOutcome Push(SaveEntry entry, Platform? platform, RegistryUpload destination, string? tag, int throttle,
            TransferProgress progress, CancellationToken cancel)
        {
            var store = entry.Store;
            var plan = SavePlan.Create(entry, new SaveOptions { Platform = platform, AllPlatforms = platform == null });
            var blobs = plan.Manifests.SelectMany(m => new[] { m.Manifest.Config }.Concat(m.Manifest.Layers))
                .GroupBy(d => d.Digest).Select(g => g.First()).ToList();
            string? mountFrom = store is RemoteRepositoryStore remote && remote.Api.Client.Host == destination.Api.Client.Host ? remote.Api.Repository : null;

            progress.TotalBytes = blobs.Sum(b => b.Size);
            var outcome = new PushOutcome { Platforms = plan.Manifests.Select(m => m.Platform).ToList() };
            var sync = new object();
            TransferWorkers.Run(blobs, throttle, blob =>
            {
                BlobTransfer how;
                try
                {
                    how = destination.Put(blob, () =>
                    {
                        var stream = BlobReader.OpenVerified(store, blob, hashInBackground: blob.Size > (4 << 20));
                        progress.Start(blob.Digest, blob.Size, () => stream.BytesRead);
                        return stream;
                    }, mountFrom, cancel);
                }
                catch
                {
                    progress.Abandon(blob.Digest);
                    throw;
                }
                progress.Finish(blob.Digest, blob.Size);
                lock (sync)
                {
                    if (how == BlobTransfer.Present) outcome.Present++;
                    else if (how == BlobTransfer.Mounted) outcome.Mounted++;
                    else { outcome.Uploaded++; outcome.UploadedBytes += blob.Size; }
                }
            }, cancel);

            if (plan.KeepIndex)
            {
                foreach (var m in plan.Manifests) PutAsStored(destination, store, m.Descriptor, m.Descriptor.Digest.ToString(), cancel);
                foreach (var index in plan.Indexes.Where(i => i.Descriptor.Digest != entry.Root.Digest).OrderByDescending(i => i.Depth))
                    PutAsStored(destination, store, index.Descriptor, index.Descriptor.Digest.ToString(), cancel);
                PutAsStored(destination, store, entry.Root, tag ?? entry.Root.Digest.ToString(), cancel);
                outcome.Root = entry.Root;
            }
            else
            {
                var primary = plan.Primary.Descriptor;
                PutAsStored(destination, store, primary, tag ?? primary.Digest.ToString(), cancel);
                outcome.Root = new Descriptor(primary.MediaType, primary.Digest, primary.Size);
            }
            return outcome;
        }

        private static void PutAsStored(RegistryUpload destination, IImageStore store, Descriptor d, string tagOrDigest, CancellationToken cancel)
        {
            var bytes = BlobReader.ReadVerified(store, d, RegistryApi.MaxManifestSize);
            string mediaType = string.IsNullOrEmpty(d.MediaType) ? MediaTypeOf(bytes) : d.MediaType;
            destination.PutManifest(tagOrDigest, bytes, mediaType, cancel);
        }

        /// <summary>A manifest's media type when its descriptor has none: its own mediaType, else index or manifest by shape.</summary>
        internal static string MediaTypeOf(byte[] bytes)
        {
            using var doc = System.Text.Json.JsonDocument.Parse(bytes);
            var root = doc.RootElement;
            if (root.TryGetProperty("mediaType", out var m) && m.ValueKind == System.Text.Json.JsonValueKind.String) return m.GetString()!;
            return root.TryGetProperty("manifests", out _) ? MediaTypes.OciIndex : MediaTypes.OciManifest;
        }
    }
}
