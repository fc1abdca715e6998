using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace ImageTools.Stores.Docker
{
    internal sealed partial class DockerRoot
    {
        private Dictionary<string, FolderEntry>? _driverEntries;
        private bool _driverEntriesRead;
        private bool _driverRootInside;

        /// <summary>
        /// The entries of the driver's folder (overlay2/, vfs/dir/) by name, listed once with their d_type; null when
        /// the directories are not mapped or the folder cannot be listed that way (then each question goes to the file system).
        /// </summary>
        internal IReadOnlyDictionary<string, FolderEntry>? DriverEntries
        {
            get
            {
                if (_driverEntriesRead) return _driverEntries;
                _driverEntriesRead = true;
                if (DriverRoot == null) return null;
                var list = FolderEntries.Read(DriverRoot);
                if (list == null) return null;
                _driverEntries = new Dictionary<string, FolderEntry>(list.Count, StringComparer.Ordinal);
                foreach (var e in list) _driverEntries[e.Name] = e;
                // one full check of a plain folder tells whether the driver's folder itself is inside the root (and
                // remembers where it leads, so that checking what is in its folders costs one lstat)
                var first = list.FirstOrDefault(e => e.IsPlainDirectory);
                _driverRootInside = first.Name != null && Boundary.IsInside(Path.Combine(DriverRoot, first.Name));
                return _driverEntries;
            }
        }

        /// <summary>True when the driver directory of <paramref name="id"/> exists (a folder, or a symlink to one).</summary>
        internal bool DriverDirectoryExists(string id)
        {
            var entries = DriverEntries;
            if (entries == null) return Directory.Exists(DriverDirectory(id));
            if (!entries.TryGetValue(id, out var e)) return false;
            return e.IsPlainDirectory || Directory.Exists(DriverDirectory(id));
        }

        /// <summary>True when the driver directory of <paramref name="id"/> is a plain folder of a driver folder inside the root: it is inside without an lstat.</summary>
        internal bool IsPlainDriverDirectory(string id)
        {
            var entries = DriverEntries;
            return entries != null && _driverRootInside && entries.TryGetValue(id, out var e) && e.IsPlainDirectory;
        }

        /// <summary>
        /// The plain folders of <c>&lt;root&gt;/overlay2</c> but l/ (sorted as the scan takes them), found from one
        /// listing before the root is read, so that reading them can start at once; empty unless overlay2/ is a plain
        /// folder next to image/overlay2. Work done ahead on a folder the scan does not take is wasted, never wrong.
        /// </summary>
        /// <param name="path">The data root as given.</param>
        /// <param name="driverRoot">overlay2/ as the opened root will name it (<see cref="DriverRoot"/>).</param>
        internal static List<string> LikelyOverlayDirectories(string path, out string driverRoot)
        {
            var result = new List<string>();
            string location = NormalLocation(path);
            driverRoot = Path.Combine(location, "overlay2");
            if (!Directory.Exists(Path.Combine(location, "image", "overlay2"))) return result;
            UnixStat? st;
            try { st = UnixFile.LStat(driverRoot); }
            catch (Exception e) when (ExpectedFailures.IsExpected(e)) { return result; } // the root's reading reports it
            if (st == null || !st.Value.IsDirectory) return result;
            var list = FolderEntries.Read(driverRoot);
            if (list == null) return result;
            result.AddRange(list.Where(e => e.IsPlainDirectory && e.Name != "l").Select(e => e.Name).OrderBy(n => n, StringComparer.Ordinal));
            return result;
        }
    }
}
