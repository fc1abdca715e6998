using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading;
using ImageTools.Content;
using ImageTools.Graph;
using ImageTools.Stores;

namespace ImageTools.Export.Unpack
{
    /// <summary>
    /// Unpacks the merged root filesystem of an image into a folder, like <c>umoci unpack</c> without uid mapping:
    /// layers bottom first, whiteouts and opaque folders applied, modes, mtimes, symlinks, hard links, and (as root)
    /// owners, all xattrs and device nodes. Every path is resolved in the <see cref="RootfsTree"/> first, so no write
    /// follows a symlink: folders on the way are real folders this unpacker made (or checked), files are created
    /// with O_EXCL after whatever was at their place is removed. Unsafe entries are refused and reported; every
    /// layer's digest and DiffID are checked as it streams, and a write the system refuses stops the unpacking.
    /// </summary>
    internal sealed class RootfsUnpacker
    {
        private readonly string _root;
        private readonly bool _isRoot = Posix.IsRoot;
        private readonly RootfsTree _tree = new RootfsTree();
        private readonly byte[] _buffer = new byte[1 << 20];
        private readonly Action<string> _warn;
        private readonly Action<Exception> _error;
        private readonly HashSet<TreeNode> _skippedNodes = new HashSet<TreeNode>();
        private int _xattrWarnings;

        /// <param name="root">The destination folder; it must exist.</param>
        /// <param name="warn">Device nodes skipped without root, layers without end blocks, xattrs not set.</param>
        /// <param name="error">Entries refused (unsafe); unpacking goes on.</param>
        public RootfsUnpacker(string root, Action<string> warn, Action<Exception> error)
        {
            _root = root.TrimEnd('/');
            _warn = warn;
            _error = error;
        }

        /// <summary>Called with (bytes of layer blobs read, total bytes of layer blobs, current layer).</summary>
        public Action<long, long, string>? Progress { get; set; }

        /// <summary>Stops the unpacking (OperationCanceledException) between entries and between the chunks of a file.</summary>
        public CancellationToken Cancellation { get; set; }

        /// <summary>Unpacks all layers. A layer that cannot be read (missing, digest or DiffID mismatch, truncated) throws, and
        /// so does a write that fails (IOException: disk full, I/O error, read-only file system).</summary>
        public ImageUnpackResult Unpack(ImageManifestInfo m)
        {
            var watch = Stopwatch.StartNew();
            var result = new ImageUnpackResult { Path = _root, ImageName = m.ImageName, Platform = m.Platform, ManifestDigest = m.Digest, Layers = m.Manifest.Layers.Count };
            var diffIds = StoreGraph.Of(m.Store).Config(m.Manifest.Config).DiffIds;
            if (diffIds.Count != m.Manifest.Layers.Count)
                throw new ImageToolsException(ErrorId.DiffIdMismatch,
                    $"The config {m.Manifest.Config.Digest} of {m.ImageName ?? m.Digest.ToString()} lists {diffIds.Count} DiffIDs for {m.Manifest.Layers.Count} layers.", m.Manifest.Config.Digest.ToString(), m.Store.Location);
            long total = 0, before = 0;
            foreach (var l in m.Manifest.Layers) total += l.Size;
            var progressWatch = Stopwatch.StartNew();
            for (int i = 0; i < m.Manifest.Layers.Count; i++)
            {
                var descriptor = m.Manifest.Layers[i];
                using var layer = new LayerSource(m.Store, descriptor, i, m.ImageName, diffIds[i]);
                _tree.Location = layer.Location;
                Progress?.Invoke(before, total, layer.Location);
                TarEntry? e;
                while ((e = layer.Next()) != null)
                {
                    Cancellation.ThrowIfCancellationRequested();
                    result.Entries++;
                    TreeChange change;
                    try { change = _tree.Apply(e, i, descriptor.Digest); }
                    catch (ImageToolsException ex) when (ex.ErrorId == ErrorId.UnsafeEntryPath || ex.ErrorId == ErrorId.MalformedContent)
                    {
                        result.Skipped++;
                        _error(ex);
                        continue;
                    }
                    Write(e, change, layer.Reader, result);
                    if (progressWatch.ElapsedMilliseconds > 250)
                    {
                        Progress?.Invoke(before + layer.BlobBytesRead, total, layer.Location);
                        progressWatch.Restart();
                    }
                }
                layer.Finish(_warn);
                before += descriptor.Size;
            }
            FinishFolders();
            result.Duration = watch.Elapsed;
            return result;
        }

        private string Disk(TreeNode node) => _root + "/" + node.RelativePath;

        private void Write(TarEntry e, TreeChange change, TarReader reader, ImageUnpackResult result)
        {
            foreach (var gone in change.Removed) ClearSlot(Disk(gone));
            foreach (var folder in change.ImplicitFolders) EnsureFolder(Disk(folder));
            var node = change.Written;
            if (node == null) return;
            string path = Disk(node);
            var entry = node.Entry!;
            switch (node.TarType)
            {
                case TarEntryType.Directory:
                    EnsureFolder(path);
                    if (!change.UpdatedFolder) result.Directories++;
                    return;
                case TarEntryType.File:
                    ClearSlot(path);
                    WriteFile(path, e, reader);
                    result.Files++;
                    result.Bytes += e.Size;
                    return;
                case TarEntryType.Hardlink:
                    ClearSlot(path);
                    if (_skippedNodes.Contains(change.LinkTo!))
                    {
                        _warn($"Hard link '{e.Name}' of {_tree.Location} was not created: its target, a device node, was skipped.");
                        _skippedNodes.Add(node);
                        result.Skipped++;
                        return;
                    }
                    Posix.Link(Disk(change.LinkTo!), path);
                    result.Links++;
                    return;
                case TarEntryType.Symlink:
                    ClearSlot(path);
                    Posix.Symlink(e.LinkName, path);
                    if (_isRoot) Posix.LChown(path, e.Uid, e.Gid);
                    SetXattrs(path, e, symlink: true);
                    Posix.LTimes(path, e.ModifiedAt);
                    result.Links++;
                    return;
                case TarEntryType.CharDevice:
                case TarEntryType.BlockDevice:
                case TarEntryType.Fifo:
                    if (node.TarType != TarEntryType.Fifo && !_isRoot)
                    {
                        _warn($"Device node '{e.Name}' of {_tree.Location} was not created: creating device nodes needs root.");
                        _skippedNodes.Add(node);
                        result.Skipped++;
                        return;
                    }
                    ClearSlot(path);
                    uint type = node.TarType == TarEntryType.Fifo ? Posix.S_IFIFO : node.TarType == TarEntryType.CharDevice ? Posix.S_IFCHR : Posix.S_IFBLK;
                    Posix.MakeNode(path, type, entry.ModeValue, e.DevMajor, e.DevMinor);
                    if (_isRoot) Posix.LChown(path, e.Uid, e.Gid);
                    Posix.Chmod(path, entry.ModeValue);
                    SetXattrs(path, e, symlink: false);
                    Posix.LTimes(path, e.ModifiedAt);
                    result.Files++;
                    return;
            }
        }

        private void WriteFile(string path, TarEntry e, TarReader reader)
        {
            int fd = Posix.CreateExclusive(path);
            try
            {
                using (var data = reader.OpenData())
                {
                    int n;
                    while ((n = data.Read(_buffer, 0, _buffer.Length)) > 0)
                    {
                        Cancellation.ThrowIfCancellationRequested();
                        Posix.Write(fd, _buffer, n, path);
                    }
                }
                if (_isRoot) Posix.FChown(fd, e.Uid, e.Gid, path);
                Posix.FChmod(fd, (int)(e.Mode & FileModes.PermissionMask), path);
                foreach (var x in e.Xattrs)
                    if (CanSetXattr(x.Key) && !Posix.FSetXattr(fd, x.Key, x.Value)) XattrFailed(path, x.Key);
                Posix.FTimes(fd, e.ModifiedAt, path);
            }
            finally { Posix.Close(fd, path); }
        }

        private bool CanSetXattr(string name) => _isRoot || name.StartsWith("user.", StringComparison.Ordinal);

        private void SetXattrs(string path, TarEntry e, bool symlink)
        {
            foreach (var x in e.Xattrs)
            {
                if (!CanSetXattr(x.Key) || (symlink && x.Key.StartsWith("user.", StringComparison.Ordinal))) continue;
                if (!Posix.LSetXattr(path, x.Key, x.Value)) XattrFailed(path, x.Key);
            }
        }

        private void XattrFailed(string path, string name)
        {
            if (_xattrWarnings++ < 5) _warn($"Extended attribute {name} of {path} could not be set (the destination's filesystem may not support it).");
        }

        /// <summary>Makes sure a real folder (not a symlink to one) is at the path.</summary>
        private static void EnsureFolder(string path)
        {
            var kind = KindOf(path);
            if (kind == PathKind.Folder) return;
            if (kind != PathKind.None) File.Delete(path);
            Directory.CreateDirectory(path);
        }

        /// <summary>Removes whatever is at the path (a folder with all it holds; a symlink itself, never its target).</summary>
        private static void ClearSlot(string path)
        {
            switch (KindOf(path))
            {
                case PathKind.None: return;
                case PathKind.Folder: Directory.Delete(path, true); return;
                default: File.Delete(path); return;
            }
        }

        private enum PathKind { None, Folder, Other }

        private static PathKind KindOf(string path)
        {
            FileAttributes a;
            try { a = File.GetAttributes(path); }
            catch (FileNotFoundException) { return PathKind.None; }
            catch (DirectoryNotFoundException) { return PathKind.None; }
            if ((a & FileAttributes.ReparsePoint) != 0) return PathKind.Other;
            return (a & FileAttributes.Directory) != 0 ? PathKind.Folder : PathKind.Other;
        }

        /// <summary>Folders get their owner, mode, xattrs and mtime last (deepest first), once nothing more is written into them.</summary>
        private void FinishFolders()
        {
            var folders = new List<TreeNode>();
            foreach (var n in _tree.Walk()) if (n.IsDirectory) folders.Add(n);
            for (int i = folders.Count - 1; i >= 0; i--)
            {
                var node = folders[i];
                var entry = node.Entry!;
                string path = Disk(node);
                if (_isRoot && !entry.Implicit) Posix.LChown(path, entry.Uid, entry.Gid);
                Posix.Chmod(path, entry.ModeValue);
                if (entry.Implicit) continue;
                foreach (var x in entry.Xattrs)
                    if (CanSetXattr(x.Key) && !Posix.LSetXattr(path, x.Key, x.Value)) XattrFailed(path, x.Key);
                Posix.LTimes(path, entry.ModifiedAtValue);
            }
        }
    }
}
