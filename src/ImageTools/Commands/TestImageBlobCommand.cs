using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using ImageTools.Graph;
using ImageTools.Oci;
using ImageTools.Stores;

namespace ImageTools.Commands
{
    /// <summary>Verifies, streaming, every blob that images reach: digest and size of indexes, manifests, configs and layers.</summary>
    /// <remarks>
    /// One result per distinct blob, with Status Valid, DigestMismatch, SizeMismatch, Missing, DiffIdMismatch or
    /// Unreadable. A blob that fails also writes a non-terminating error (use -ErrorAction SilentlyContinue to keep
    /// only the results). With -DiffId every layer is also decompressed (gzip, zstd or plain, decided from the bytes)
    /// and its content digest compared with the config's DiffID, in the same pass. With -Path and no -Name, every
    /// blob in the store is checked, including blobs no image reaches (Kind Blob). Independent blobs are checked in
    /// parallel, up to -ThrottleLimit at a time. Over an archive compressed whole (`docker save | gzip`, bzip2, xz,
    /// zstd) given with -Path, every blob is digested, and with -DiffId its DiffID computed, in the one decompression
    /// that lists the archive. Memory stays flat whatever the blob sizes.
    /// </remarks>
    /// <example>
    /// <code>Test-ImageBlob -Path ./layout -DiffId | Where-Object Status -ne Valid</code>
    /// <para>Verifies every blob of an OCI layout, layers decompressed too, and shows only the failures.</para>
    /// </example>
    /// <example>
    /// <code>Get-Image -Path ./app.tar -Name app:2.0 | Test-ImageBlob | Group-Object Status -NoElement</code>
    /// <para>Counts valid and broken blobs of one image.</para>
    /// </example>
    [Cmdlet(VerbsDiagnostic.Test, "ImageBlob", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(BlobCheckResult))]
    public sealed class TestImageBlobCommand : ManifestSourceCmdlet
    {
        private readonly BlobPlan _plan = new BlobPlan();
        private readonly HashSet<IImageStore> _wholeStores = new HashSet<IImageStore>();

        /// <summary>Manifests from Get-ImageManifest.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = "Manifest")]
        public ImageManifestInfo[]? Manifest { get; set; }

        /// <summary>Artifacts from Get-ImageReferrer (signatures, SBOMs, attestations): their manifest, config and blobs.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = "Referrer")]
        public ImageReferrer[]? Referrer { get; set; }

        /// <summary>Layers from Get-ImageLayer.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = "Layer")]
        public ImageLayerInfo[]? Layer { get; set; }

        /// <summary>Also decompress each layer and compare its content digest with the config's DiffID.</summary>
        [Parameter]
        public SwitchParameter DiffId { get; set; }

        /// <summary>How many blobs are checked at once (default: the number of processors).</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = Environment.ProcessorCount;

        internal override Content.Archives.EntryDigestMode ArchiveDigests =>
            DiffId ? Content.Archives.EntryDigestMode.BlobAndContent : Content.Archives.EntryDigestMode.Blob;

        protected override void ProcessRecord()
        {
            switch (ParameterSetName)
            {
                case "Layer":
                    foreach (var l in Layer ?? new ImageLayerInfo[0])
                        _plan.Add(l.Store, l.Descriptor, BlobKind.Layer, l.ImageName).DiffId ??= l.DiffIdValue;
                    break;
                case "Manifest":
                    foreach (var m in Manifest ?? new ImageManifestInfo[0]) PlanManifest(m);
                    break;
                case "Referrer":
                    foreach (var r in Referrer ?? new ImageReferrer[0])
                        foreach (var m in LayerInput.AsManifests(this, r)) PlanManifest(m);
                    break;
                default:
                    foreach (var image in InputImages())
                    {
                        if (FromPath && (Name == null || Name.Length == 0)) _wholeStores.Add(image.Store);
                        PlanImage(image);
                    }
                    break;
            }
        }

        /// <summary>Every blob the image's walk reached (indexes and manifests that could not be read too, so they get a result).</summary>
        private void PlanImage(Image image)
        {
            var walk = StoreGraph.Of(image.Store).Walk(image.Descriptor);
            foreach (var index in walk.Indexes) _plan.Add(image.Store, index.Descriptor, BlobKind.Index, image.Name);
            foreach (var d in walk.Unreadable)
                _plan.Add(image.Store, d, MediaTypes.IsIndex(d.MediaType) ? BlobKind.Index : BlobKind.Manifest, image.Name);
            foreach (var m in ManifestsOf(image, withAttestations: true)) PlanManifest(m);
        }

        private void PlanManifest(ImageManifestInfo m)
        {
            _plan.Add(m.Store, m.Descriptor, BlobKind.Manifest, m.ImageName);
            _plan.Add(m.Store, m.Manifest.Config, BlobKind.Config, m.ImageName);
            // only the DiffIDs are needed here: the layer blobs are read once, when they are verified
            var diffIds = GetImageLayerCommand.DiffIdsOf(m, e => WriteFailure(e, m));
            var layers = m.Manifest.Layers;
            for (int i = 0; i < layers.Count; i++)
                _plan.Add(m.Store, layers[i], BlobKind.Layer, m.ImageName).DiffId ??= i < diffIds.Count ? diffIds[i] : null;
        }

        protected override void EndProcessing()
        {
            foreach (var store in _wholeStores)
                foreach (var digest in store.EnumerateBlobs())
                    if (!_plan.Contains(store, digest)) _plan.Add(store, digest, -1, BlobKind.Blob, null);
            Run(_plan.Blobs);
        }

        private void Run(IReadOnlyList<PlannedBlob> blobs)
        {
            if (blobs.Count == 0) return;
            long totalBytes = blobs.Sum(b => Math.Max(0, b.ExpectedSize));
            var progressByBlob = new long[blobs.Count];
            var results = new BlockingCollection<BlobCheckResult>();
            using var cancel = new CancellationTokenSource();
            var worker = Task.Run(() =>
            {
                try
                {
                    Parallel.For(0, blobs.Count, new ParallelOptions { MaxDegreeOfParallelism = ThrottleLimit, CancellationToken = cancel.Token },
                        i => results.Add(BlobVerifier.Verify(blobs[i], DiffId, cancel.Token, n => Interlocked.Exchange(ref progressByBlob[i], n))));
                }
                finally { results.CompleteAdding(); }
            });

            var progress = new ProgressRecord(1, "Test-ImageBlob", "Verifying blobs");
            int done = 0, failed = 0;
            var lastProgress = DateTime.UtcNow;
            try
            {
                while (!results.IsCompleted)
                {
                    if (results.TryTake(out var result, 250))
                    {
                        done++;
                        if (result.StatusValue != BlobStatus.Valid)
                        {
                            failed++;
                            WriteError(ErrorRecords.Create(result.ErrorIdValue ?? ErrorId.StoreUnreadable, result.Message ?? $"Blob {result.Digest} is {result.Status}.", result.Digest));
                        }
                        WriteObject(result);
                    }
                    if ((DateTime.UtcNow - lastProgress).TotalMilliseconds > 500)
                    {
                        lastProgress = DateTime.UtcNow;
                        long bytes = progressByBlob.Sum();
                        progress.StatusDescription = $"{done} of {blobs.Count} blobs, {bytes / (1 << 20)} of {totalBytes / (1 << 20)} MiB";
                        progress.PercentComplete = totalBytes > 0 ? (int)Math.Min(100, bytes * 100 / totalBytes) : done * 100 / blobs.Count;
                        WriteProgress(progress);
                    }
                }
            }
            finally
            {
                cancel.Cancel();
                try { worker.Wait(); } catch (AggregateException) { }
                ProgressEnd.Complete(this, progress);
            }
            if (failed > 0) WriteWarning($"{failed} of {blobs.Count} blobs failed verification.");
        }
    }
}
