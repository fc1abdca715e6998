using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using ImageTools.Export;
using ImageTools.Oci;
using ImageTools.Stores.RegistryHttp;

namespace ImageTools.Commands
{
    /// <summary>Copy-Image -DestinationReference: one image to one registry reference, with ShouldProcess, progress and a PushedImage out.</summary>
    internal sealed class RegistryPushCommandStep
    {
        private readonly SaveImageCommandBase _cmdlet;
        private readonly string _destination;

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
                _cmdlet.WriteObject(new PushedImage
                {
                    Reference = tag != null ? where : $"{target.Domain}/{target.Path}@{outcome.Root.Digest}",
                    Digest = outcome.Root.Digest,
                    MediaType = outcome.Root.MediaType,
                    Platforms = outcome.Platforms.Where(p => p != null).Select(p => p!.ToString()).ToArray(),
                    Source = $"{entry.Store.Location} {entry.Label}",
                    SkippedBlobCount = outcome.Present,
                    MountedBlobCount = outcome.Mounted,
                    UploadedBlobCount = outcome.Uploaded,
                    UploadedSize = outcome.UploadedBytes,
                });
            }
            catch (OperationCanceledException) { }
            catch (Exception e) when (ErrorRecords.IsExpected(e))
            {
                _cmdlet.FlushRegistryMessages();
                _cmdlet.ThrowTerminatingError(ErrorRecords.From(e, where));
            }
        }
    }
}
