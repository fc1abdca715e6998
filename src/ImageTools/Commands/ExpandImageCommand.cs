using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
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
    /// A destination that does not exist is unpacked into a temporary folder beside it and renamed into place when
    /// everything succeeded; a failed or cancelled run leaves nothing. An existing empty folder is filled in place; a
    /// folder that is not empty needs -Force (the image is unpacked over what is there). Linux only.
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
            string dest = SessionState.Path.GetUnresolvedProviderPathFromPSPath(DestinationPath).TrimEnd('/');
            if (File.Exists(dest))
            {
                WriteError(ErrorRecords.Create(ErrorId.DestinationNotEmpty, $"The destination {dest} is a file, not a folder.", dest));
                return;
            }
            bool exists = Directory.Exists(dest);
            if (exists && Directory.EnumerateFileSystemEntries(dest).Any() && !Force)
            {
                WriteError(ErrorRecords.Create(ErrorId.DestinationNotEmpty, $"The destination {dest} is not empty; use -Force to unpack {m.ImageName} over what is there.", dest));
                return;
            }
            string what = $"Unpack {m.ImageName ?? m.Digest.ToString()} ({m.Platform}, {m.LayerCount} layers) into {dest}";
            if (!ShouldProcess(dest, what)) return;

            string target = dest;
            if (!exists)
            {
                string parent = System.IO.Path.GetDirectoryName(dest) ?? "/";
                Directory.CreateDirectory(parent);
                target = System.IO.Path.Combine(parent, "." + System.IO.Path.GetFileName(dest) + ".imagetools-" + Guid.NewGuid().ToString("N").Substring(0, 8));
                Directory.CreateDirectory(target);
            }
            bool ok = false;
            var progress = new ProgressRecord(1, $"Unpacking {m.ImageName}", "Starting");
            try
            {
                var unpacker = new RootfsUnpacker(target, WriteWarning, e => WriteFailure(e, m))
                {
                    Progress = (done, total, layer) =>
                    {
                        progress.StatusDescription = layer;
                        progress.PercentComplete = total > 0 ? (int)Math.Min(100, done * 100 / total) : 0;
                        WriteProgress(progress);
                    },
                };
                var result = unpacker.Unpack(m);
                if (target != dest) Directory.Move(target, dest);
                result.Path = dest;
                ok = true;
                WriteObject(result);
            }
            catch (Exception e) when (ErrorRecords.IsExpected(e))
            {
                WriteFailure(e is InvalidDataException ? new ImageToolsException(ErrorId.ArchiveCorrupt, $"A layer of {m.ImageName} cannot be decompressed: {e.Message}", m.Digest.ToString(), m.Store.Location, e) : e, m);
            }
            finally
            {
                progress.RecordType = ProgressRecordType.Completed;
                WriteProgressSafe(progress);
                if (!ok)
                {
                    if (target != dest) TryDelete(target);
                    else if (!Force) foreach (var p in Directory.EnumerateFileSystemEntries(dest).ToList()) TryDelete(p);
                    else WriteWarning($"Unpacking into {dest} failed part way; what was written stays there.");
                }
            }
        }

        private void WriteProgressSafe(ProgressRecord p)
        {
            try { WriteProgress(p); } catch (PipelineStoppedException) { }
        }

        private static void TryDelete(string path)
        {
            try
            {
                var a = File.GetAttributes(path);
                if ((a & FileAttributes.Directory) != 0 && (a & FileAttributes.ReparsePoint) == 0) Directory.Delete(path, true);
                else File.Delete(path);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }
}
