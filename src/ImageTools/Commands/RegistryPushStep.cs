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
        private const int ReferrersActivity = 1000;

        public RegistryPushCommandStep(SaveImageCommandBase cmdlet, string destination)
        {
            _cmdlet = cmdlet;
            _destination = destination;
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
            var state = new TransferProgress { Label = entry.Label };
            var progress = new TransferProgressWriter(_cmdlet, state, $"Copy-Image {where}", "Pushing blobs");
            try
            {
                var outcome = progress.Run(() => RegistryPush.Push(entry, options.Platform, upload, tag, options.Throttle, state, _cmdlet.Cancellation),
                    _cmdlet.FlushRegistryMessages);
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
        }

        /// <summary>The referrers of what was pushed, pushed after it (on this thread: they are small); one that fails is a non-terminating error.</summary>
        private string[] PushReferrers(SaveEntry entry, PushOutcome outcome, RegistryUpload upload, string where)
        {
            var progress = new ProgressRecord(ReferrersActivity, $"Copy-Image {where}", "Pushing referrers");
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
            ProgressEnd.Complete(_cmdlet, progress);
            return pushed.Select(r => r.Manifest.Digest.ToString()).ToArray();
        }
    }
}
