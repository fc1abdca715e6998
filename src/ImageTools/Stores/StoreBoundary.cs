using System;
using System.IO;
using ImageTools.Content;

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
        private readonly FolderResolutions? _folders;

        /// <param name="root">The store's root.</param>
        /// <param name="rememberFolders">
        /// Remember where the folders checked so far lead, so that checking one of their entries costs one lstat
        /// instead of a realpath over every component (for a store read once, by the thousand, when it is opened).
        /// </param>
        public StoreBoundary(string root, bool rememberFolders = false)
        {
            Root = root;
            _real = RealPaths.Resolve(root) ?? Path.GetFullPath(root);
            if (rememberFolders) _folders = new FolderResolutions();
        }

        /// <summary>The root as given.</summary>
        public string Root { get; }

        /// <summary>True when <paramref name="path"/> (or, when it does not exist, its nearest existing parent) resolves inside the root.</summary>
        public bool IsInside(string path) =>
            RealPaths.IsWithin(_real, _folders != null ? _folders.ResolveNearest(path) : RealPaths.ResolveNearest(path));

        /// <summary>Throws PathOutsideStore when <paramref name="path"/> leads out of the root; returns it otherwise.</summary>
        public string Check(string path, string what)
        {
            if (IsInside(path)) return path;
            string? target = RealPaths.Resolve(path);
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
            Check(path, what);
            return ContentFiles.OpenRead(path);
        }

        /// <summary>The bytes of a file of the store (at most <paramref name="max"/>: ContentTooLarge), checked as <see cref="OpenFile"/> does.</summary>
        public byte[] ReadFile(string path, string what, long max = 64L << 20)
        {
            Check(path, what);
            return ContentFiles.ReadAll(path, max, what);
        }

        /// <summary>Throws unless <paramref name="path"/> is a regular file inside the root (FileNotFound when it is absent); opens nothing.</summary>
        public void CheckFile(string path, string what)
        {
            Check(path, what);
            if (!ContentFiles.Exists(path)) throw new FileNotFoundException($"The {what} {path} does not exist.", path);
            ContentFiles.RequireRegularFile(path);
        }
    }
}
