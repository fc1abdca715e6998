using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using ImageTools.Content;
using ImageTools.Oci;

namespace ImageTools.Export
{
    /// <summary>
    /// Writes into an OCI layout folder, new or existing. Blobs already there are verified (hashed), not trusted;
    /// new blobs go to temporary files that <see cref="Commit"/> renames into place, index.json last. An aborted
    /// run removes its temporary files and, when it created the folder, the folder.
    /// </summary>
    internal sealed class LayoutDirectorySink : IBlobSink
    {
        private readonly string _root;
        private readonly bool _created;
        private readonly Dictionary<Digest, string> _pending = new Dictionary<Digest, string>();
        private readonly Dictionary<string, byte[]> _files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        private readonly Dictionary<Digest, bool> _verifiedPresent = new Dictionary<Digest, bool>();
        private bool _committed;

        public LayoutDirectorySink(string root)
        {
            _root = Path.GetFullPath(root);
            if (Directory.Exists(_root))
            {
                bool empty = !Directory.EnumerateFileSystemEntries(_root).GetEnumerator().MoveNext();
                if (!empty && !File.Exists(Path.Combine(_root, "oci-layout")))
                    throw new ImageToolsException(ErrorId.DestinationExists,
                        $"{_root} exists and is not an OCI image layout (no oci-layout file); choose an empty or new folder, or an existing layout.", _root, _root);
                string index = Path.Combine(_root, "index.json");
                if (File.Exists(index)) ExistingIndex = File.ReadAllBytes(index);
            }
            else
            {
                Directory.CreateDirectory(_root);
                _created = true;
            }
        }

        public byte[]? ExistingIndex { get; }
        public long BytesWritten { get; private set; }

        /// <summary>Blobs that were already in the layout and verified; the save skipped them.</summary>
        public int SkippedBlobs { get; private set; }

        private string BlobPath(Digest d) => Path.Combine(_root, "blobs", d.Algorithm, d.Encoded);

        public bool Has(Digest digest)
        {
            if (_pending.ContainsKey(digest)) return true;
            if (_verifiedPresent.TryGetValue(digest, out var ok)) return ok;
            string path = BlobPath(digest);
            ok = false;
            if (File.Exists(path) && digest.IsSupported)
            {
                using var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
                ok = StreamDigester.Digest(f, digest.Algorithm).Digest == digest;
            }
            _verifiedPresent[digest] = ok;
            if (ok) SkippedBlobs++;
            return ok;
        }

        public void AddBlob(Digest digest, long size, Stream content, CancellationToken cancel, Action<long>? progress)
        {
            string dir = Path.Combine(_root, "blobs", digest.Algorithm);
            Directory.CreateDirectory(dir);
            string temp = TempFiles.Beside(Path.Combine(dir, digest.Encoded));
            _pending[digest] = temp;
            var pool = BlobCopier.NewPool(1);
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                long copied = BlobCopier.Copy(content, pool, (b, n) => { file.Write(b, 0, n); pool.Add(b); }, cancel, progress);
                if (copied != size)
                    throw new ImageToolsException(ErrorId.SizeMismatch, $"Blob {digest} gave {copied} bytes, expected {size}.", digest.ToString());
                BytesWritten += copied;
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
            _committed = true;
            return null;
        }

        private void WriteReplacing(string name, byte[] content)
        {
            string target = Path.Combine(_root, name);
            string temp = TempFiles.Beside(target);
            File.WriteAllBytes(temp, content);
            TempFiles.MoveIntoPlace(temp, target, overwrite: true);
            BytesWritten += content.Length;
        }

        public void Dispose()
        {
            if (_committed) return;
            foreach (var temp in _pending.Values) TempFiles.Delete(temp);
            if (_created)
            {
                try { Directory.Delete(_root, recursive: true); }
                catch (IOException) { }
                catch (UnauthorizedAccessException) { }
            }
        }
    }
}
