using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.ExceptionServices;

namespace ImageTools.Stores.Docker
{
    /// <summary>
    /// Reads what <see cref="OverlayScanner"/> needs from overlay2/ (the targets of the l/ short links, and each
    /// directory's lower file) on background threads, started before the data root's layer database is
    /// read: the reads overlap instead of following each other. The scanner takes each directory's files from here
    /// (<see cref="ReadAhead{TResult}"/>: one the thread has not finished it reads itself).
    /// </summary>
    internal sealed class OverlayReadAhead
    {
        /// <summary>The lower file of one directory (null: missing), or what reading it threw.</summary>
        internal sealed class Files
        {
            public byte[]? Lower; // bytes: a lower file is mostly ASCII short names, looked up without a string
            public ExceptionDispatchInfo? Failure;
        }

        /// <summary>The l/ link targets by short name (null: not a symlink); <see cref="Targets"/> null when l/ could not be listed this way.</summary>
        private sealed class LinkTargetsRead
        {
            public Dictionary<string, string?>? Targets;
        }

        private readonly Dictionary<string, int> _index;
        private readonly FolderHandle? _driverFolder; // overlay2/ held open: lower files are opened relative to it
        private readonly ReadAhead<Files> _files;
        private readonly ReadAhead<LinkTargetsRead> _links;

        /// <param name="driverRoot">overlay2/ of the data root.</param>
        /// <param name="ids">Its directories, in the order the scanner takes them.</param>
        public OverlayReadAhead(string driverRoot, IReadOnlyList<string> ids)
        {
            DriverRoot = driverRoot;
            _index = new Dictionary<string, int>(ids.Count, StringComparer.Ordinal);
            for (int i = 0; i < ids.Count; i++) _index[ids[i]] = i;
            _driverFolder = FolderHandle.TryOpen(driverRoot);
            _links = new ReadAhead<LinkTargetsRead>(1, _ => ReadLinkTargets(), "ImageTools overlay2/l read-ahead");
            _files = new ReadAhead<Files>(ids.Count, i => Read(_driverFolder, driverRoot, ids[i]), "ImageTools overlay2 read-ahead");
        }

        public string DriverRoot { get; }

        /// <summary>Stops reading ahead (what is not read yet is read by the scanner when it asks).</summary>
        public void Stop()
        {
            _files.Stop();
            _links.Stop();
        }

        /// <summary>Once the scanner has taken what it needs: stops the threads, waits for them, and closes overlay2/.</summary>
        public void Finish()
        {
            _files.Finish();
            _links.Finish();
            _driverFolder?.Dispose();
        }

        /// <summary>The target of each l/ symlink by short name (null: not a symlink); null when l/ could not be listed this way.</summary>
        public IReadOnlyDictionary<string, string?>? LinkTargets() => _links.Take(0).Targets;

        /// <summary>The lower file of directory <paramref name="id"/>; false when it was not in the list given (the scanner reads them).</summary>
        public bool TryTake(string id, out Files files)
        {
            files = null!;
            if (!_index.TryGetValue(id, out int i)) return false;
            files = _files.Take(i);
            return true;
        }

        private LinkTargetsRead ReadLinkTargets()
        {
            var read = new LinkTargetsRead();
            try
            {
                string l = Path.Combine(DriverRoot, "l");
                var entries = FolderEntries.Read(l);
                if (entries == null) return read;
                var targets = new Dictionary<string, string?>(entries.Count, StringComparer.Ordinal);
                using (var folder = FolderHandle.TryOpen(l)) // only this thread reads l/
                    foreach (var e in entries) targets[e.Name] = UnixFile.ReadLink(folder, l, e.Name);
                read.Targets = targets;
            }
            catch (Exception) { read.Targets = null; } // the scanner reads l/ itself and reports what fails
            return read;
        }

        /// <summary>Reads as the scanner does in line: the lower file.</summary>
        private static Files Read(FolderHandle? driverFolder, string driverRoot, string id)
        {
            var files = new Files();
            try
            {
                files.Lower = UnixFile.ReadSmallBytes(driverFolder, driverRoot, id, "lower", 1 << 16);
            }
            catch (Exception e) { files.Failure = ExceptionDispatchInfo.Capture(e); }
            return files;
        }
    }
}
