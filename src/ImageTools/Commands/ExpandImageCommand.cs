using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using ImageTools.Export.Unpack;

namespace ImageTools.Commands
{
    /// <summary>Unpacks the merged root filesystem of an image into a folder, like umoci unpack.</summary>
    /// <remarks>
    /// Applies the layers bottom first with their whiteouts and opaque folders, keeping modes, modification times,
    /// symlinks and hard links, and when running as root owners, all extended attributes (trusted.*, security.*) and
    /// device nodes; without root, device nodes are skipped with a warning per node and only user.* xattrs are set.
    /// No uid mapping is done. Every layer is verified against its digest as it streams.
    ///
    /// Nothing is ever written outside the destination: an entry that is absolute, contains '..', is a hard link to
    /// such a path, or would be written through a symlink whose target is absolute or leads out of the root, is refused
    /// with an UnsafeEntryPath error naming the entry; the rest is unpacked. Paths are resolved in memory and files
    /// are created exclusively, so no write follows a symlink.
    ///
    /// Every layer is checked against its digest and its DiffID (the config's rootfs.diff_ids) in the same pass that
    /// unpacks it. A destination that does not exist is unpacked into a temporary folder beside it and renamed into
    /// place when everything succeeded; any failure (a mismatch, a full disk, an I/O error, a read-only file system)
    /// writes an error, no result, and leaves nothing. An existing empty folder is filled in place and emptied again on
    /// failure; a folder that is not empty needs -Force (the image is unpacked over what is there, and a failure part
    /// way leaves what was written). A destination inside the store being read, or holding it, is refused
    /// (DestinationInsideSource). Linux only.
    /// </remarks>
    /// <example>
    /// <code>Get-Image ./layout app:2.0 | Expand-Image -DestinationPath ./rootfs</code>
    /// <para>Unpacks app:2.0 into ./rootfs (made by the command).</para>
    /// </example>
    /// <example>
    /// <code>Expand-Image -Path ./multi.tar -Name multi:latest -Platform linux/arm64 -DestinationPath /srv/rootfs -Force -WhatIf</code>
    /// <para>Shows what would be unpacked for the arm64 image, into a folder that already has content.</para>
    /// </example>
    [Cmdlet(VerbsData.Expand, "Image", DefaultParameterSetName = PathSet, SupportsShouldProcess = true)]
    [OutputType(typeof(ImageUnpackResult))]
    public sealed class ExpandImageCommand : ManifestSourceCmdlet
    {
        /// <summary>A platform manifest from Get-ImageManifest.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = "Manifest")]
        public ImageManifestInfo[]? Manifest { get; set; }

        /// <summary>The folder to unpack the root filesystem into; made when it does not exist.</summary>
        [Parameter(Mandatory = true)]
        [ValidateNotNullOrEmpty]
        public string? DestinationPath { get; set; }

        /// <summary>Unpack into a folder that is not empty, over what is there.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        private readonly CancellationTokenSource _cancel = new CancellationTokenSource();

        protected override void ProcessRecord()
        {
            if (!Posix.IsLinux)
            {
                ThrowTerminatingError(new ErrorRecord(new PlatformNotSupportedException("Expand-Image unpacks Linux root filesystems and runs only on Linux."),
                    "PlatformNotSupported", ErrorCategory.NotImplemented, null));
            }
            var manifests = new List<ImageManifestInfo>();
            if (ParameterSetName == "Manifest") manifests.AddRange(Manifest ?? new ImageManifestInfo[0]);
            else
                foreach (var image in InputImages())
                {
                    var found = ManifestsOf(image).ToList();
                    if (found.Count > 1)
                        WriteError(ErrorRecords.Create(ErrorId.PlatformNotFound,
                            $"Image {image} has {found.Count} platforms ({string.Join(", ", found.Select(m => m.Platform ?? "unknown"))}); choose one with -Platform.", image));
                    else manifests.AddRange(found);
                }
            foreach (var m in manifests) Expand(m);
        }

        private void Expand(ImageManifestInfo m)
        {
            string dest = SessionState.Path.GetUnresolvedProviderPathFromPSPath(DestinationPath);
            var expander = new RootfsExpander(m, dest, Force);
            try { expander.Check(); }
            catch (ImageToolsException e)
            {
                WriteError(ErrorRecords.From(e, dest));
                return;
            }
            string what = $"Unpack {m.ImageName ?? m.Digest.ToString()} ({m.Platform}, {m.LayerCount} layers) into {dest}";
            if (!ShouldProcess(dest, what)) return;

            var progress = new ProgressRecord(1, $"Unpacking {m.ImageName}", "Starting");
            try
            {
                WriteObject(expander.Expand(WriteWarning, e => WriteFailure(e, m), (done, total, layer) =>
                {
                    progress.StatusDescription = layer;
                    progress.PercentComplete = total > 0 ? (int)Math.Min(100, done * 100 / total) : 0;
                    WriteProgress(progress);
                }, _cancel.Token));
            }
            catch (OperationCanceledException) { }
            catch (Exception e) when (ErrorRecords.IsExpected(e))
            {
                WriteFailure(e, m);
            }
            finally
            {
                ProgressEnd.Complete(this, progress);
            }
        }

        protected override void StopProcessing() => _cancel.Cancel();
    }
}
