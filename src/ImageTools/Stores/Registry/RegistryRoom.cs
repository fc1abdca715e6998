using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using ImageTools.Content;
using ImageTools.Stores.Docker;

namespace ImageTools.Stores.Registry
{
    /// <summary>
    /// Registry storage as a closed room: every folder walked and every link or <c>data</c> file read is resolved
    /// inside the storage root (<c>docker/registry/v2</c>) first. A symlink that leads out of it is PathOutsideStore;
    /// a FIFO, device or socket where a file is expected is NotARegularFile and is never opened (it could block
    /// forever); nothing is ever deleted through a symlink.
    /// </summary>
    /// <remarks>
    /// The registry itself never writes symlinks; one that stays inside the root is followed for reading only, as
    /// the registry's filesystem driver would. lstat comes from <see cref="UnixFile"/>; where it is missing
    /// (not Linux), symlinks are still seen (ReparsePoint) but other special files are not.
    /// </remarks>
    public sealed class RegistryRoom
    {
        private readonly string _realRoot;

        // the real paths of the folders walked so far: a link file's check costs one lstat, not a realpath of every component
        private readonly FolderResolutions _folders = new FolderResolutions();

        public RegistryRoom(string root)
        {
            Root = Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar);
            _realRoot = RealPaths.Resolve(Root) ?? Root;
        }

        /// <summary>The <c>docker/registry/v2</c> folder.</summary>
        public string Root { get; }

        /// <summary>
        /// The room of a repository folder <c>&lt;root&gt;/repositories/&lt;name&gt;</c>, for callers that only have
        /// the folder and its name (as <see cref="RegistryStore.RepositoryDirectories"/> gives them).
        /// </summary>
        public static RegistryRoom OfRepository(string name, string directory)
        {
            string dir = Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar);
            string suffix = Path.DirectorySeparatorChar + "repositories" + Path.DirectorySeparatorChar + name.Replace('/', Path.DirectorySeparatorChar);
            if (!dir.EndsWith(suffix, StringComparison.Ordinal))
                throw new ArgumentException($"{directory} is not the folder of repository {name}.", nameof(directory));
            return new RegistryRoom(dir.Substring(0, dir.Length - suffix.Length));
        }

        /// <summary>
        /// The child folders of <paramref name="dir"/>, sorted. A child that is a symlink leading out of the room is
        /// reported (PathOutsideStore) and left out; one leading to something that is not a folder is left out.
        /// </summary>
        public List<string> Folders(string dir, Action<ImageToolsException> onError)
        {
            var found = new List<string>();
            string full = Path.GetFullPath(dir).TrimEnd(Path.DirectorySeparatorChar);
            foreach (var child in new DirectoryInfo(dir).EnumerateFileSystemInfos().OrderBy(i => i.FullName, StringComparer.Ordinal))
            {
                bool isLink = (child.Attributes & FileAttributes.ReparsePoint) != 0;
                if (!isLink)
                {
                    if ((child.Attributes & FileAttributes.Directory) != 0)
                    {
                        found.Add(child.FullName);
                        _folders.RememberPlainChild(full, child.FullName);
                    }
                    continue;
                }
                try
                {
                    if (Directory.Exists(Resolve(child.FullName))) found.Add(child.FullName);
                }
                catch (ImageToolsException e) { onError(e); }
            }
            return found;
        }

        /// <summary>
        /// True when <paramref name="path"/> is a folder to walk: a plain folder, or a symlink to one inside the room.
        /// A symlink leading out is reported (PathOutsideStore) and is false, as is nothing there.
        /// </summary>
        public bool IsFolder(string path, Action<ImageToolsException> onError)
        {
            try { return Directory.Exists(Resolve(path)); }
            catch (ImageToolsException e) { onError(e); return false; }
        }

        /// <summary>The entries of <paramref name="dir"/> that are not folders (nor symlinks to folders inside the room).</summary>
        public List<string> NonFolders(string dir)
        {
            var folders = new HashSet<string>(Folders(dir, _ => { }), StringComparer.Ordinal);
            return Directory.EnumerateFileSystemEntries(dir).Where(e => !folders.Contains(e)).OrderBy(e => e, StringComparer.Ordinal).ToList();
        }

        /// <summary>
        /// Checks that <paramref name="path"/> is a regular file that may be opened (following a symlink only when
        /// it stays in the room); false when nothing is there. NotARegularFile or PathOutsideStore otherwise.
        /// </summary>
        public bool IsReadableFile(string path, string what)
        {
            string resolved = Resolve(path, out var stat);
            var kind = stat != null ? KindOf(stat.Value) : KindOf(resolved);
            if (kind == EntryKind.Missing) return false;
            if (kind != EntryKind.Regular)
                throw new ImageToolsException(ErrorId.NotARegularFile,
                    $"{what} {path} is {Describe(kind)}, not a regular file; it is not opened.", path, Root);
            return true;
        }

        /// <summary>
        /// The real path of <paramref name="path"/> (every symlink on the way resolved); PathOutsideStore when it is
        /// not inside the room. A path that does not resolve (missing, or a symlink that leads nowhere) is returned as it is.
        /// </summary>
        public string Resolve(string path) => Resolve(path, out _);

        /// <summary><see cref="Resolve(string)"/>, with the lstat of the entry when the check took one (it is not a symlink then).</summary>
        private string Resolve(string path, out UnixStat? stat)
        {
            string? real = _folders.Resolve(path, out stat);
            if (real == null) return Path.GetFullPath(path);
            if (!IsInside(real))
                throw new ImageToolsException(ErrorId.PathOutsideStore,
                    $"{path} leads out of registry storage {Root} (to {real}); it is not followed.", path, Root);
            return real;
        }

        /// <summary>
        /// Where <paramref name="path"/> (a full path inside <see cref="Root"/>) is when no symlink lies between the
        /// root and it: the root's real path and the rest as written. Null for a path not under the root. Whoever opens
        /// it must refuse symlinks on the way (openat2 RESOLVE_NO_SYMLINKS), which makes it inside the room.
        /// </summary>
        public string? RealPathIfNoSymlinks(string path)
        {
            if (!path.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal)) return null;
            string rest = path.Substring(Root.Length);
            if (rest.Contains(Path.DirectorySeparatorChar + ".")) return null; // '.', '..' (and dot names, rare): the checked way
            return _realRoot.TrimEnd(Path.DirectorySeparatorChar) + rest;
        }

        /// <summary>
        /// Before deleting <paramref name="path"/>: it and every folder between it and the root must be a plain
        /// folder or file, not a symlink, so that the deletion lands where the path says. PathOutsideStore otherwise.
        /// </summary>
        public void RequireNoSymlinkOnTheWay(string path)
        {
            string full = Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar);
            if (!full.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                throw new ImageToolsException(ErrorId.PathOutsideStore, $"{full} is not inside registry storage {Root}; not removing it.", full, Root);
            string current = Root;
            foreach (var part in full.Substring(Root.Length + 1).Split(Path.DirectorySeparatorChar))
            {
                current = Path.Combine(current, part);
                if (KindOf(current) == EntryKind.Symlink)
                    throw new ImageToolsException(ErrorId.PathOutsideStore,
                        $"{current} is a symlink (to {UnixFile.ReadLink(current) ?? "?"}); not removing {full} through it.", full, Root);
            }
            if (!IsInside(RealPaths.Resolve(full) ?? full))
                throw new ImageToolsException(ErrorId.PathOutsideStore, $"{full} resolves outside registry storage {Root}; not removing it.", full, Root);
        }

        private bool IsInside(string real) => RealPaths.IsWithin(_realRoot, real);

        private enum EntryKind { Missing, Regular, Directory, Symlink, Fifo, Device, Socket, Other }

        private static EntryKind KindOf(string path)
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
            {
                var st = UnixFile.LStat(path);
                return st == null ? EntryKind.Missing : KindOf(st.Value);
            }
            var info = new FileInfo(path);
            if (!info.Exists && !Directory.Exists(path)) return EntryKind.Missing;
            if ((info.Attributes & FileAttributes.ReparsePoint) != 0) return EntryKind.Symlink;
            return (info.Attributes & FileAttributes.Directory) != 0 ? EntryKind.Directory : EntryKind.Regular;
        }

        private static EntryKind KindOf(UnixStat st)
        {
            {
                switch (st.Type)
                {
                    case UnixStat.Regular: return EntryKind.Regular;
                    case UnixStat.Dir: return EntryKind.Directory;
                    case UnixStat.Symlink: return EntryKind.Symlink;
                    case UnixStat.Fifo: return EntryKind.Fifo;
                    case UnixStat.CharDevice:
                    case UnixStat.BlockDevice: return EntryKind.Device;
                    case UnixStat.Socket: return EntryKind.Socket;
                    default: return EntryKind.Other;
                }
            }
        }

        private static string Describe(EntryKind kind) => kind switch
        {
            EntryKind.Directory => "a folder",
            EntryKind.Fifo => "a FIFO",
            EntryKind.Device => "a device",
            EntryKind.Socket => "a socket",
            EntryKind.Symlink => "a symlink that leads nowhere",
            _ => "not a regular file",
        };

    }
}
