using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using ImageTools.Content;
using ImageTools.Oci;

namespace ImageTools.Export
{
    /// <summary>
    /// Writes into an OCI layout folder, new or existing. Blobs already there are verified (hashed), not trusted.
    /// A new layout is built in a temporary folder beside its destination and renamed into place by
    /// <see cref="Commit"/>; into an existing one, new blobs go to temporary files that <see cref="Commit"/> renames
    /// into place, index.json last. An aborted run removes its temporary files and folder; a killed one leaves them
    /// for the next writer into the same place to remove (<see cref="TempFiles.RemoveStale"/>). Blobs may be checked
    /// and added from several threads at once (a pull moves several); the small files and the commit are one thread's.
    /// </summary>
    internal sealed class LayoutDirectorySink : IBlobSink
    {
        private readonly string _destination;
        private readonly string _root;
        private readonly bool _wasEmpty;
        private readonly Dictionary<Digest, string> _pending = new Dictionary<Digest, string>();
        private readonly Dictionary<string, byte[]> _files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        private readonly Dictionary<Digest, bool> _verifiedPresent = new Dictionary<Digest, bool>();
        private readonly object _sync = new object();
        private long _bytesWritten;
        private int _skippedBlobs;
        private bool _committed;

        public LayoutDirectorySink(string destination)
        {
            _destination = Path.GetFullPath(destination).TrimEnd('/');
            TempFiles.RemoveStale(Path.GetDirectoryName(_destination) ?? "/");
            if (Directory.Exists(_destination))
            {
                _root = _destination;
                _wasEmpty = !Directory.EnumerateFileSystemEntries(_root).GetEnumerator().MoveNext();
                if (!_wasEmpty && !File.Exists(Path.Combine(_root, "oci-layout")))
                    throw new ImageToolsException(ErrorId.DestinationExists,
                        $"{_root} exists and is not an OCI image layout (no oci-layout file); choose an empty or new folder, or an existing layout.", _root, _root);
                ExistingIndex = ReadExistingIndex(Path.Combine(_root, "index.json"));
                // An empty folder becomes a layout first, so that a run killed part way leaves a layout (without
                // index.json) whose temp files the next run recognizes and removes, not a folder it must refuse.
                if (_wasEmpty) TempFiles.WriteReplacing(Path.Combine(_root, "oci-layout"), ImageSaver.OciLayoutFile);
                TempFiles.RemoveStale(_root);
                string blobs = Path.Combine(_root, "blobs");
                if (Directory.Exists(blobs))
                    foreach (var dir in Directory.EnumerateDirectories(blobs)) TempFiles.RemoveStale(dir);
            }
            else
            {
                Directory.CreateDirectory(Path.GetDirectoryName(_destination) ?? "/");
                _root = TempFiles.FolderBeside(_destination);
                Directory.CreateDirectory(_root);
            }
        }

        private bool IsNew => _root != _destination;

        /// <summary>
        /// The layout's index.json, checked before anything is written: one that is not a regular file of a sane size
        /// (a FIFO would block, a device never end) or does not parse is refused, since the save would replace it.
        /// </summary>
        private static byte[]? ReadExistingIndex(string path)
        {
            var info = new FileInfo(path);
            if (!info.Exists) return null;
            if (info.Length == 0 || info.Length > Stores.BlobReader.MaxManifestSize)
                throw new ImageToolsException(ErrorId.MalformedContent,
                    $"The layout's {path} is empty, not a regular file, or larger than {Stores.BlobReader.MaxManifestSize} bytes; nothing was written.", path, path);
            var bytes = File.ReadAllBytes(path);
            ImageIndex.Parse(bytes, path);
            return bytes;
        }

        public byte[]? ExistingIndex { get; }
        public long BytesWritten => Interlocked.Read(ref _bytesWritten);

        /// <summary>Blobs that were already in the layout and verified; the save skipped them.</summary>
        public int SkippedBlobs => Volatile.Read(ref _skippedBlobs);

        public bool TakesParallelBlobs => true;

        private string BlobPath(Digest d) => Path.Combine(_root, "blobs", d.Algorithm, d.Encoded);

        public bool Has(Digest digest, long size)
        {
            lock (_sync)
            {
                if (_pending.ContainsKey(digest)) return true;
                if (_verifiedPresent.TryGetValue(digest, out var known)) return known;
            }
            // hashed outside the lock, so that several present blobs are verified at once
            bool ok = IsIntact(BlobPath(digest), digest, size);
            lock (_sync)
            {
                if (_verifiedPresent.ContainsKey(digest)) return _verifiedPresent[digest];
                _verifiedPresent[digest] = ok;
                if (ok) _skippedBlobs++;
            }
            return ok;
        }

        /// <summary>
        /// A blob already in the layout is kept only when it has its size and hashes to its digest. What has another
        /// size (a FIFO, a device, a folder, a truncated file) is never opened: it is replaced, so nothing here blocks
        /// or reads without end. An empty blob is always rewritten (a FIFO has size 0 too).
        /// </summary>
        private static bool IsIntact(string path, Digest digest, long size)
        {
            var file = new FileInfo(path);
            if (size <= 0 || !digest.IsSupported || !file.Exists || file.Length != size) return false;
            using var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            return StreamDigester.Digest(f, digest.Algorithm).Digest == digest;
        }

        public void AddBlob(Digest digest, long size, Stream content, CancellationToken cancel, Action<long>? progress)
        {
            string dir = Path.Combine(_root, "blobs", digest.Algorithm);
            Directory.CreateDirectory(dir);
            string temp = TempFiles.Beside(Path.Combine(dir, digest.Encoded));
            lock (_sync) _pending[digest] = temp;
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                long copied = BlobCopier.CopyToFile(content, file, cancel, progress);
                if (copied != size)
                    throw new ImageToolsException(ErrorId.SizeMismatch, $"Blob {digest} gave {copied} bytes, expected {size}.", digest.ToString());
                Interlocked.Add(ref _bytesWritten, copied);
            }
        }

        public void AddFile(string name, byte[] content) => _files[name] = content;

        public Digest? Commit()
        {
            foreach (var kv in _pending)
            {
                string target = BlobPath(kv.Key);
                if (File.Exists(target)) File.Delete(target); // present but failed verification: replace it
                File.Move(kv.Value, target);
            }
            _pending.Clear();
            // index.json last, so a reader never sees an index naming blobs that are not there yet.
            foreach (var kv in _files)
            {
                if (kv.Key == "index.json") continue;
                WriteReplacing(kv.Key, kv.Value);
            }
            if (_files.TryGetValue("index.json", out var index)) WriteReplacing("index.json", index);
            if (IsNew) Directory.Move(_root, _destination);
            _committed = true;
            return null;
        }

        private void WriteReplacing(string name, byte[] content)
        {
            TempFiles.WriteReplacing(Path.Combine(_root, name), content);
            Interlocked.Add(ref _bytesWritten, content.Length);
        }

        public void Dispose()
        {
            if (_committed) return;
            foreach (var temp in _pending.Values) TempFiles.Delete(temp);
            if (IsNew) TempFiles.DeleteAny(_root);
            else if (_wasEmpty) TempFiles.DeleteContents(_root);
        }
    }
}
