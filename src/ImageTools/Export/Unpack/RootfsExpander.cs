using System;
using System.IO;
using System.Linq;
using System.Threading;

namespace ImageTools.Export.Unpack
{
    /// <summary>
    /// Expand-Image's writer: checks the destination, unpacks into a temporary folder beside it (or into an empty
    /// folder that exists, or over a folder's content with -Force) and renames it into place only when every layer
    /// was read, verified (digest and DiffID) and written. Any failure (disk full, I/O, read-only file system, a
    /// mismatch) leaves no result and nothing in place.
    /// </summary>
    internal sealed class RootfsExpander
    {
        private readonly ImageManifestInfo _manifest;
        private readonly string _destination;
        private readonly bool _force;

        public RootfsExpander(ImageManifestInfo manifest, string destination, bool force)
        {
            _manifest = manifest;
            _destination = destination.TrimEnd('/');
            if (_destination.Length == 0) _destination = "/";
            _force = force;
        }

        /// <summary>Refuses a destination that is a file, inside (or holding) the store read, or a folder with content without -Force.</summary>
        public void Check()
        {
            if (File.Exists(_destination))
                throw new ImageToolsException(ErrorId.DestinationNotEmpty, $"The destination {_destination} is a file, not a folder.", _destination, _destination);
            SourceOverlap.Refuse(_destination, new[] { _manifest.Store.Location });
            if (!_force && Directory.Exists(_destination) && Directory.EnumerateFileSystemEntries(_destination).Any())
                throw new ImageToolsException(ErrorId.DestinationNotEmpty,
                    $"The destination {_destination} is not empty; use -Force to unpack {_manifest.ImageName} over what is there.", _destination, _destination);
        }

        /// <param name="warn">Warnings: device nodes skipped, xattrs not set, a failed -Force unpack that left what it wrote.</param>
        /// <param name="refused">Entries refused as unsafe (the rest is unpacked).</param>
        /// <param name="progress">(bytes of layer blobs read, total, current layer).</param>
        /// <param name="cancellation">Ctrl+C: stops the unpacking with OperationCanceledException and removes what was written,
        /// up to the rename into place; after that the result is whole.</param>
        public ImageUnpackResult Expand(Action<string> warn, Action<Exception> refused, Action<long, long, string>? progress, CancellationToken cancellation = default)
        {
            Check();
            bool exists = Directory.Exists(_destination);
            bool emptyBefore = exists && !Directory.EnumerateFileSystemEntries(_destination).Any();
            string parent = Path.GetDirectoryName(_destination) ?? "/";
            string target = _destination;
            bool ok = false;
            try
            {
                Directory.CreateDirectory(parent);
                TempFiles.RemoveStale(parent);
                if (!exists)
                {
                    target = TempFiles.FolderBeside(_destination);
                    Directory.CreateDirectory(target);
                }
                var unpacker = new RootfsUnpacker(target, warn, refused) { Progress = progress, Cancellation = cancellation };
                var result = unpacker.Unpack(_manifest);
                cancellation.ThrowIfCancellationRequested();
                if (target != _destination) Directory.Move(target, _destination);
                result.Path = _destination;
                ok = true;
                return result;
            }
            catch (InvalidDataException e)
            {
                throw new ImageToolsException(ErrorId.ArchiveCorrupt, $"A layer of {_manifest.ImageName} cannot be decompressed: {e.Message}", _manifest.Digest.ToString(), _manifest.Store.Location, e);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw WriteFailures.Describe(e, _destination, $"Unpacking {_manifest.ImageName ?? _manifest.Digest.ToString()} into");
            }
            finally
            {
                if (!ok)
                {
                    if (target != _destination) TempFiles.DeleteAny(target);
                    else if (emptyBefore) TempFiles.DeleteContents(_destination);
                    else warn($"Unpacking into {_destination} failed part way; what was written over its content stays there.");
                }
            }
        }
    }
}
