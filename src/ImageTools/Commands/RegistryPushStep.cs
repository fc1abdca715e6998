using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using ImageTools.Export;
using ImageTools.Oci;
using ImageTools.Referrers;
using ImageTools.Stores.RegistryHttp;

namespace ImageTools.Commands
{
    /// <summary>Copy-Image -DestinationReference: one image to one registry reference, with ShouldProcess, progress and a PushedImage out.</summary>
    internal sealed class RegistryPushCommandStep
    {
        private readonly SaveImageCommandBase _cmdlet;
        private readonly string _destination;
        private readonly int _throttle;
        private int _nextActivity = 2;

        public RegistryPushCommandStep(SaveImageCommandBase cmdlet, string destination, int throttle)
        {
            _cmdlet = cmdlet;
            _destination = destination;
            _throttle = throttle;
        }

        public void Run(IReadOnlyList<SaveEntry> entries, SaveOptions options)
        {
            if (!ImageReference.TryParse(_destination, out var target, out var why))
                _cmdlet.ThrowTerminatingError(ErrorRecords.Create(ErrorId.InvalidReference, $"-DestinationReference '{_destination}' is not an image reference: {why}.", _destination));
            if (entries.Count != 1)
                _cmdlet.ThrowTerminatingError(ErrorRecords.Create(ErrorId.NameConflict,
                    $"-DestinationReference names one image, and {entries.Count} were selected ({string.Join(", ", entries.Select(e => e.Label))}); push them one at a time.", _destination));
            if (options.Compression != LayerCompression.Keep)
                _cmdlet.ThrowTerminatingError(ErrorRecords.Create(ErrorId.NameConflict,
                    "-Compression cannot be used with -DestinationReference: a push keeps the manifest bytes, and so the layers, unchanged.", _destination));
            var entry = entries[0];
            string? tag = target!.Tag ?? entry.Names.Select(n => n.Tag).FirstOrDefault(t => t != null);
            if (target.Digest != null && target.Digest != entry.Root.Digest && options.Platform == null)
                _cmdlet.ThrowTerminatingError(ErrorRecords.Create(ErrorId.DigestMismatch,
                    $"-DestinationReference names the digest {target.Digest}, and the image is {entry.Root.Digest}.", _destination));
            string where = target.Domain + "/" + target.Path + (tag != null ? ":" + tag : "");
            if (!_cmdlet.ShouldProcess(where, $"Push {entry.Label}{(options.Platform != null ? " (" + options.Platform + ")" : "")}")) return;

            var upload = new RegistryUpload(new RegistryApi(RegistryClient.For(target.Domain, _cmdlet.Remote.Options), target.Path));
            var state = new PushProgress();
            var push = Task.Run(() => RegistryPush.Push(entry, options.Platform, upload, tag, _throttle, state, _cmdlet.Cancellation));
            var progress = new ProgressRecord(1, $"Copy-Image {where}", "Pushing blobs");
            var shown = new Dictionary<Digest, ProgressRecord>();
            try
            {
                while (!((IAsyncResult)push).AsyncWaitHandle.WaitOne(250))
                {
                    _cmdlet.FlushRegistryMessages();
                    WriteProgress(progress, state, shown, entry.Label);
                }
                var outcome = push.GetAwaiter().GetResult();
                _cmdlet.FlushRegistryMessages();
                var referrers = _cmdlet.IncludeReferrers ? PushReferrers(entry, outcome, upload, where) : new string[0];
                _cmdlet.WriteObject(new PushedImage
                {
                    Reference = tag != null ? where : $"{target.Domain}/{target.Path}@{outcome.Root.Digest}",
                    DigestValue = outcome.Root.Digest,
                    MediaType = outcome.Root.MediaType,
                    Platforms = new ValueList(outcome.Platforms.Where(p => p != null).Select(p => p!.ToString()).ToArray()),
                    Source = $"{entry.Store.Location} {entry.Label}",
                    SkippedBlobCount = outcome.Present,
                    MountedBlobCount = outcome.Mounted,
                    UploadedBlobCount = outcome.Uploaded,
                    UploadedSize = outcome.UploadedBytes,
                    Referrers = referrers,
                });
            }
            catch (OperationCanceledException) { }
            catch (Exception e) when (ErrorRecords.IsExpected(e))
            {
                _cmdlet.FlushRegistryMessages();
                _cmdlet.ThrowTerminatingError(ErrorRecords.From(e, where));
            }
            finally
            {
                foreach (var blob in shown.Values) ProgressEnd.Complete(_cmdlet, blob);
                ProgressEnd.Complete(_cmdlet, progress);
            }
        }

        /// <summary>The referrers of what was pushed, pushed after it (on this thread: they are small); one that fails is a non-terminating error.</summary>
        private string[] PushReferrers(SaveEntry entry, PushOutcome outcome, RegistryUpload upload, string where)
        {
            var progress = new ProgressRecord(_nextActivity++, $"Copy-Image {where}", "Pushing referrers");
            _cmdlet.WriteProgress(progress);
            var source = ReferrerSources.For(entry.Store, entry.SourceRepository);
            var pushed = RegistryReferrerPush.PushAll(entry.Store, outcome.Root, source, upload, e =>
            {
                _cmdlet.FlushRegistryMessages();
                _cmdlet.WriteError(ErrorRecords.From(e, where));
            }, _cmdlet.Cancellation);
            _cmdlet.FlushRegistryMessages();
            foreach (var r in pushed)
                _cmdlet.WriteVerbose($"Referrer {r.Manifest.Digest} of {r.Subject}: {(r.ListedByApi ? "listed by the registry's referrers API (OCI-Subject)" : "tagged " + r.Tag)}.");
            progress.RecordType = ProgressRecordType.Completed;
            _cmdlet.WriteProgress(progress);
            return pushed.Select(r => r.Manifest.Digest.ToString()).ToArray();
        }

        /// <summary>Overall bytes, and one child record per blob being sent (its own percentage); finished blobs are closed.</summary>
        private void WriteProgress(ProgressRecord overall, PushProgress state, Dictionary<Digest, ProgressRecord> shown, string label)
        {
            long inFlight = 0;
            var now = state.InFlight.ToArray();
            foreach (var (digest, (size, stream)) in now.Select(kv => (kv.Key, kv.Value)))
            {
                long read = stream.BytesRead;
                inFlight += read;
                if (!shown.TryGetValue(digest, out var record))
                    shown[digest] = record = new ProgressRecord(_nextActivity++, "Blob", digest.ToString()) { ParentActivityId = overall.ActivityId };
                record.StatusDescription = $"{digest} {read >> 20} of {size >> 20} MiB";
                record.PercentComplete = size > 0 ? (int)Math.Min(100, read * 100 / size) : 0;
                _cmdlet.WriteProgress(record);
            }
            foreach (var gone in shown.Keys.Where(d => !now.Any(kv => kv.Key == d)).ToList())
            {
                ProgressEnd.Complete(_cmdlet, shown[gone]);
                shown.Remove(gone);
            }
            long done = Math.Min(state.TotalBytes, state.DoneBytes + inFlight);
            overall.StatusDescription = $"{label}: {done >> 20} of {state.TotalBytes >> 20} MiB";
            overall.PercentComplete = state.TotalBytes > 0 ? (int)(done * 100 / state.TotalBytes) : 0;
            _cmdlet.WriteProgress(overall);
        }
    }
}
