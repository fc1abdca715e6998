using System;
using System.IO;
using ImageTools.Content;
using ImageTools.Stores.Docker;

namespace ImageTools.Stores
{
    /// <summary>
    /// A store's root seen as a closed room: every path read is resolved (symlinks, <c>..</c>) and must stay inside the
    /// root, else PathOutsideStore; a file read must be a regular file, else NotARegularFile (a FIFO is never opened,
    /// so it cannot block the reader). Used by the Docker data root and the containerd root, whose folders are read
    /// through names taken from their own (possibly damaged) files.
    /// </summary>
    internal sealed class StoreBoundary
    {
        private readonly string _real;

        public StoreBoundary(string root)
        {
            Root = root;
            _real = UnixFile.RealPath(root) ?? Path.GetFullPath(root);
        }

        /// <summary>The root as given.</summary>
        public string Root { get; }

        /// <summary>True when <paramref name="path"/> (or, when it does not exist, its nearest existing parent) resolves inside the root.</summary>
        public bool IsInside(string path)
        {
            string? probe = path;
            string? real = null;
            while (probe != null && (real = UnixFile.RealPath(probe)) == null) probe = Path.GetDirectoryName(probe);
            if (real == null) return false;
            return real == _real || real.StartsWith(_real == "/" ? "/" : _real + "/", StringComparison.Ordinal);
        }

        /// <summary>Throws PathOutsideStore when <paramref name="path"/> leads out of the root; returns it otherwise.</summary>
        public string Check(string path, string what)
        {
            if (IsInside(path)) return path;
            string? target = UnixFile.RealPath(path);
            throw new ImageToolsException(ErrorId.PathOutsideStore,
                $"The {what} {path} leads out of the store {Root}" + (target != null ? $" (to {target})" : "") + "; it is not followed.", path, Root);
        }

        /// <summary>A folder of the store: false when it does not exist; PathOutsideStore when it leads out of the root.</summary>
        public bool DirectoryExists(string path, string what)
        {
            if (!Directory.Exists(path)) return false;
            Check(path, what);
            return true;
        }

        /// <summary>Opens a file of the store for reading after checking that it is inside the root and a regular file.</summary>
        public Stream OpenFile(string path, string what)
        {
            CheckFile(path, what);
            return ContentFiles.OpenRead(path);
        }

        /// <summary>The bytes of a file of the store (at most <paramref name="max"/>), checked as <see cref="OpenFile"/> does.</summary>
        public byte[] ReadFile(string path, string what, long max = 64L << 20)
        {
            using var s = OpenFile(path, what);
            if (s.Length > max)
                throw new ImageToolsException(ErrorId.ContentTooLarge, $"The {what} {path} is {s.Length} bytes, more than the {max} such a file can hold.", path, Root);
            var bytes = new byte[s.Length];
            int read = 0, n;
            while (read < bytes.Length && (n = s.Read(bytes, read, bytes.Length - read)) > 0) read += n;
            if (read < bytes.Length) Array.Resize(ref bytes, read);
            return bytes;
        }

        /// <summary>Throws unless <paramref name="path"/> is a regular file inside the root (FileNotFound when it is absent).</summary>
        public void CheckFile(string path, string what)
        {
            Check(path, what);
            var real = UnixFile.RealPath(path);
            var st = real == null ? null : UnixFile.LStat(real);
            if (st == null) throw new FileNotFoundException($"The {what} {path} does not exist.", path);
            if (!st.Value.IsRegular)
            {
                if (st.Value.IsDirectory) throw new ImageToolsException(ErrorId.NotARegularFile, $"The {what} {path} is a folder, not a file.", path, Root);
                throw new ImageToolsException(ErrorId.NotARegularFile,
                    $"The {what} {path} is not a regular file (mode {Convert.ToString(st.Value.Mode, 8)}: a FIFO, device or socket); it is not opened.", path, Root);
            }
        }
    }
}
