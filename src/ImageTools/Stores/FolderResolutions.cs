using System;
using System.Collections.Generic;
using System.IO;
using ImageTools.Content;
using ImageTools.Stores.Docker;

namespace ImageTools.Stores
{
    /// <summary>
    /// <see cref="RealPaths.ResolveNearest"/> with the real paths of folders remembered: a path whose folder was
    /// resolved before is resolved with one lstat of its last component (not a symlink: the folder's real path plus
    /// the name), instead of realpath's readlink of every component. Anything else goes to realpath.
    /// </summary>
    internal sealed class FolderResolutions
    {
        private const int Capacity = 1 << 16;
        private readonly Dictionary<string, string> _real = new Dictionary<string, string>(StringComparer.Ordinal);
        private readonly object _gate = new object();

        public string ResolveNearest(string path)
        {
            string? realFolder = RememberedFolderOf(path, out string full, out string? folder, out string name, out UnixStat? st);
            string resolved;
            if (realFolder != null && (st == null || !st.Value.IsSymlink))
                resolved = Path.Combine(realFolder, name); // missing: the nearest existing folder is the remembered one
            else
            {
                resolved = RealPaths.ResolveNearest(full);
                if (folder != null && realFolder == null)
                {
                    string? real = RealPaths.Resolve(folder);
                    if (real != null) Remember(folder, real);
                }
            }
            if (st != null && st.Value.IsDirectory) Remember(full, resolved);
            return resolved;
        }

        /// <summary>
        /// <see cref="RealPaths.Resolve"/> (null when nothing is there), through a remembered folder when there is one;
        /// <paramref name="stat"/> is the entry's lstat when it was taken.
        /// </summary>
        public string? Resolve(string path, out UnixStat? stat)
        {
            string? realFolder = RememberedFolderOf(path, out string full, out _, out string name, out stat);
            if (realFolder != null)
            {
                if (stat == null) return null;
                if (!stat.Value.IsSymlink)
                {
                    string real = Path.Combine(realFolder, name);
                    if (stat.Value.IsDirectory) Remember(full, real);
                    return real;
                }
                stat = null;
            }
            string? resolved = RealPaths.Resolve(full);
            if (resolved != null && Directory.Exists(resolved)) Remember(full, resolved);
            return resolved;
        }

        /// <summary>
        /// Splits <paramref name="path"/> into its full form, folder and name; when the folder's real path is remembered,
        /// gives it with the entry's lstat (<paramref name="stat"/> null: nothing there). Null when the folder is not
        /// remembered or the lstat failed: the caller goes to realpath.
        /// </summary>
        private string? RememberedFolderOf(string path, out string full, out string? folder, out string name, out UnixStat? stat)
        {
            stat = null;
            full = Path.GetFullPath(path);
            if (full.Length > 1) full = full.TrimEnd(Path.DirectorySeparatorChar);
            folder = Path.GetDirectoryName(full);
            name = Path.GetFileName(full);
            string? realFolder = null;
            if (folder != null && name.Length > 0)
                lock (_gate) _real.TryGetValue(folder, out realFolder);
            if (realFolder == null) return null;
            return UnixFile.TryLStat(full, out stat) ? realFolder : null;
        }

        /// <summary>Remembers the real path of <paramref name="child"/>, a plain folder (not a symlink) inside <paramref name="folder"/>, when that of the folder is known.</summary>
        public void RememberPlainChild(string folder, string child)
        {
            string? realFolder;
            lock (_gate) _real.TryGetValue(folder, out realFolder);
            if (realFolder != null) Remember(child, Path.Combine(realFolder, Path.GetFileName(child)));
        }

        private void Remember(string folder, string real)
        {
            lock (_gate)
            {
                if (_real.Count >= Capacity) _real.Clear();
                _real[folder] = real;
            }
        }
    }
}
