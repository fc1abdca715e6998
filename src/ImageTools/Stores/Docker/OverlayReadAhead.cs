using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace ImageTools.Stores.Docker
{
    /// <summary>
    /// Reads what <see cref="OverlayScanner"/> needs from overlay2/ (the targets of the l/ short links, then each
    /// directory's link and lower files) on a background thread, started before the data root's layer database is
    /// read: the two reads overlap instead of following each other. The scanner takes each directory's files from
    /// here; one the reader has not reached yet it reads itself, so nothing is read twice and nothing is waited for
    /// longer than its own read.
    /// </summary>
    internal sealed class OverlayReadAhead
    {
        /// <summary>The link and lower files of one directory: their text (null: missing), or what reading them threw.</summary>
        internal sealed class Files
        {
            internal int State; // 0 not started, 1 being read, 2 read
            public string? Link;
            public string? Lower;
            public ExceptionDispatchInfo? Failure;
        }

        private readonly string _driverRoot;
        private readonly Dictionary<string, Files> _files = new Dictionary<string, Files>(StringComparer.Ordinal);
        private readonly List<string> _order;
        private readonly ManualResetEventSlim _linksRead = new ManualResetEventSlim();
        private Dictionary<string, string?>? _linkTargets;
        private volatile bool _stopped;

        /// <param name="driverRoot">overlay2/ of the data root.</param>
        /// <param name="ids">Its directories, in the order the scanner takes them.</param>
        public OverlayReadAhead(string driverRoot, IEnumerable<string> ids)
        {
            _driverRoot = driverRoot;
            _order = ids.ToList();
            foreach (var id in _order) _files[id] = new Files();
            new Thread(Work) { IsBackground = true, Name = "ImageTools overlay2 read-ahead" }.Start();
        }

        public string DriverRoot => _driverRoot;

        /// <summary>Stops reading ahead (what is not read yet is read by the scanner when it asks).</summary>
        public void Stop() => _stopped = true;

        /// <summary>The target of each l/ symlink by short name (null: not a symlink); null when l/ could not be listed this way.</summary>
        public IReadOnlyDictionary<string, string?>? LinkTargets()
        {
            _linksRead.Wait();
            return _linkTargets;
        }

        /// <summary>The link and lower files of directory <paramref name="id"/>; false when it was not in the list given (the scanner reads them).</summary>
        public bool TryTake(string id, out Files files)
        {
            if (!_files.TryGetValue(id, out files!)) return false;
            if (Interlocked.CompareExchange(ref files.State, 1, 0) == 0) Read(id, files);
            else lock (files) while (files.State != 2) Monitor.Wait(files);
            return true;
        }

        private void Work()
        {
            try { _linkTargets = ReadLinkTargets(); }
            catch (Exception) { _linkTargets = null; } // the scanner reads l/ itself and reports what fails
            finally { _linksRead.Set(); }
            foreach (var id in _order)
            {
                if (_stopped) return;
                var files = _files[id];
                if (Interlocked.CompareExchange(ref files.State, 1, 0) == 0) Read(id, files);
            }
        }

        private Dictionary<string, string?>? ReadLinkTargets()
        {
            string l = Path.Combine(_driverRoot, "l");
            var entries = FolderEntries.Read(l);
            if (entries == null) return null;
            var targets = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var e in entries)
            {
                if (_stopped) return null;
                targets[e.Name] = UnixFile.ReadLink(Path.Combine(l, e.Name));
            }
            return targets;
        }

        /// <summary>Reads as the scanner did in line: the link file, then (when that worked) the lower file.</summary>
        private void Read(string id, Files files)
        {
            string dir = Path.Combine(_driverRoot, id);
            try
            {
                files.Link = UnixFile.ReadSmallText(Path.Combine(dir, "link"), 4096);
                files.Lower = UnixFile.ReadSmallText(Path.Combine(dir, "lower"));
            }
            catch (Exception e) { files.Failure = ExceptionDispatchInfo.Capture(e); }
            lock (files)
            {
                files.State = 2;
                Monitor.PulseAll(files);
            }
        }
    }
}
