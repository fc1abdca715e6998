using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using static ImageTools.LibC;

namespace ImageTools.Stores.Docker
{
    /// <summary>Sizes of a folder tree without following symlinks, hard links counted once (as du does).</summary>
    /// <remarks>
    /// On Linux the tree is read as du reads it: getdents64 on each folder and one statx per entry relative to the
    /// folder's descriptor, so no path is built or resolved per file; elsewhere through .NET's enumeration.
    /// Folders that cannot be read and entries that vanish are skipped, as before.
    /// </remarks>
    internal static class DiskUsage
    {
        /// <summary>The sizes of <paramref name="path"/>, as the overload below, without the inode count.</summary>
        public static void Measure(string path, out long bytes, out long disk) => Measure(path, out bytes, out disk, out _);

        private static readonly byte[] EmptyPath = new byte[1];
        private const byte Slash = (byte)'/', Dot = (byte)'.';

        private static bool _native = RuntimeInformation.IsOSPlatform(OSPlatform.Linux);

        // one statx buffer and one getdents64 buffer per thread, reused by every walk (thousands of folders)
        [ThreadStatic] private static byte[]? _stat;
        [ThreadStatic] private static byte[]? _records;
        [ThreadStatic] private static Stack<byte[]>? _folders;

        /// <param name="path">The folder (or file) to measure.</param>
        /// <param name="bytes">Bytes of regular files and symlinks.</param>
        /// <param name="disk">Allocated bytes of everything, folders included (du -s, in bytes).</param>
        /// <param name="inodes">Distinct inodes, the folder itself included (containerd's fs.DiskUsage).</param>
        public static void Measure(string path, out long bytes, out long disk, out long inodes) => Measure(path, null, null, out bytes, out disk, out inodes);

        /// <summary><see cref="Measure(string, out long, out long, out long)"/> of <paramref name="folder"/>/<paramref name="name"/>/<paramref name="leaf"/> (the parts not null), a path string made only where .NET walks it.</summary>
        public static void Measure(string folder, string? name, string? leaf, out long bytes, out long disk, out long inodes)
        {
            if (_native)
            {
                try { MeasureNative(RootPath(folder, name, leaf), out bytes, out disk, out inodes); return; }
                catch (Exception e) when (e is EntryPointNotFoundException || e is DllNotFoundException) { _native = false; }
            }
            string path = name == null ? folder : leaf == null ? System.IO.Path.Combine(folder, name) : System.IO.Path.Combine(folder, name, leaf);
            MeasureManaged(path, out bytes, out disk, out inodes);
        }

        [ThreadStatic] private static byte[]? _rootBuffer;

        /// <summary>The walk's first path, NUL-terminated in an array of its own length (<see cref="ChildPath"/> builds on it).</summary>
        private static byte[] RootPath(string folder, string? name, string? leaf)
        {
            var buffer = LibC.Path(folder, name, ref _rootBuffer, leaf);
            int end = Array.IndexOf(buffer, (byte)0);
            var root = new byte[end + 1];
            Buffer.BlockCopy(buffer, 0, root, 0, end + 1);
            return root;
        }

        private struct Totals
        {
            public long Bytes, Disk, Inodes;
            public HashSet<(uint, uint, ulong)>? Seen;

            /// <summary>Adds one statx result (Linux struct statx layout).</summary>
            public void Add(byte[] st)
            {
                uint nlink = BitConverter.ToUInt32(st, 16);
                uint type = BitConverter.ToUInt16(st, 28) & UnixStat.TypeMask;
                if (nlink > 1 && type != UnixStat.Dir)
                {
                    Seen ??= new HashSet<(uint, uint, ulong)>();
                    if (!Seen.Add((BitConverter.ToUInt32(st, 136), BitConverter.ToUInt32(st, 140), BitConverter.ToUInt64(st, 32)))) return;
                }
                Inodes++;
                Disk += BitConverter.ToInt64(st, 48) * 512;
                if (type == UnixStat.Regular || type == UnixStat.Symlink) Bytes += BitConverter.ToInt64(st, 40);
            }
        }

        private static void MeasureNative(byte[] root, out long bytes, out long disk, out long inodes)
        {
            var totals = new Totals();
            var st = _stat ??= new byte[256];
            bytes = 0; disk = 0; inodes = 0;
            // the walk's own folder is opened once, and every folder under it relative to it (openat): a path of a
            // component or two per folder, not the whole one from /, as du's fts does
            int rootFd = open(root, ORdOnly | ODirectory | ONoFollow | OCloExec);
            if (rootFd < 0)
            {
                // not a folder (a file, a symlink), or one that cannot be read: measured as lstat sees it
                if (statx(AtFdCwd, root, AtSymlinkNoFollow, StatxBasicStats, st) == 0) totals.Add(st);
                bytes = totals.Bytes; disk = totals.Disk; inodes = totals.Inodes;
                return;
            }
            try
            {
                if (statx(rootFd, EmptyPath, AtEmptyPath | AtSymlinkNoFollow, StatxBasicStats, st) != 0) return;
                totals.Add(st);
                var folders = _folders ??= new Stack<byte[]>();
                folders.Clear();
                var records = _records ??= new byte[32 * 1024];
                ReadFolder(rootFd, null, folders, records, st, ref totals);
                while (folders.Count > 0)
                {
                    var relative = folders.Pop();
                    int fd = openat(rootFd, relative, ORdOnly | ODirectory | ONoFollow | OCloExec);
                    if (fd < 0) continue; // unreadable or gone: skipped, as du reports and goes on
                    try { ReadFolder(fd, relative, folders, records, st, ref totals); }
                    finally { close(fd); }
                }
            }
            finally { close(rootFd); }
            bytes = totals.Bytes; disk = totals.Disk; inodes = totals.Inodes;
        }

        /// <summary>
        /// Adds every entry of one open folder and pushes its subfolders, as paths relative to the walk's folder
        /// (<paramref name="folder"/> is this one's, NUL-terminated; null for the walk's folder itself).
        /// </summary>
        private static void ReadFolder(int fd, byte[]? folder, Stack<byte[]> folders, byte[] records, byte[] st, ref Totals totals)
        {
            while (true)
            {
                long n = getdents64(fd, records, (UIntPtr)records.Length).ToInt64();
                if (n <= 0) return;
                for (int pos = 0; pos < n;)
                {
                    int length = BitConverter.ToUInt16(records, pos + 16);
                    int name = pos + 19; // struct linux_dirent64: ino 8, off 8, reclen 2, type 1, name
                    pos += length;
                    if (records[name] == Dot && (records[name + 1] == 0 || (records[name + 1] == Dot && records[name + 2] == 0))) continue;
                    if (statxAt(fd, ref records[name], AtSymlinkNoFollow, StatxBasicStats, st) != 0) continue;
                    totals.Add(st);
                    if ((BitConverter.ToUInt16(st, 28) & UnixStat.TypeMask) == UnixStat.Dir)
                        folders.Push(ChildPath(folder, records, name));
                }
            }
        }

        /// <summary><paramref name="folder"/> (NUL-terminated; null: none) + '/' + the NUL-terminated name at <paramref name="name"/>, NUL-terminated.</summary>
        private static byte[] ChildPath(byte[]? folder, byte[] records, int name)
        {
            int nameLength = Array.IndexOf(records, (byte)0, name) - name;
            int folderLength = folder == null ? 0 : folder.Length - 1;
            int at = folder == null ? 0 : folderLength + 1;
            var child = new byte[at + nameLength + 1];
            if (folder != null)
            {
                Buffer.BlockCopy(folder, 0, child, 0, folderLength);
                child[folderLength] = Slash;
            }
            Buffer.BlockCopy(records, name, child, at, nameLength);
            return child;
        }

        private static void MeasureManaged(string path, out long bytes, out long disk, out long inodes)
        {
            bytes = 0; disk = 0; inodes = 0;
            var seen = new HashSet<(uint, uint, ulong)>();
            var st = UnixFile.LStat(path);
            if (st == null) return;
            Add(st.Value, seen, ref bytes, ref disk, ref inodes);
            if (!st.Value.IsDirectory) return;
            var stack = new Stack<string>();
            stack.Push(path);
            while (stack.Count > 0)
            {
                string dir = stack.Pop();
                IEnumerable<string> entries;
                try { entries = Directory.EnumerateFileSystemEntries(dir); }
                catch (Exception e) when (ExpectedFailures.IsExpected(e)) { continue; }
                foreach (var entry in entries)
                {
                    var s = UnixFile.LStat(entry);
                    if (s == null) continue;
                    Add(s.Value, seen, ref bytes, ref disk, ref inodes);
                    if (s.Value.IsDirectory) stack.Push(entry);
                }
            }
        }

        private static void Add(UnixStat s, HashSet<(uint, uint, ulong)> seen, ref long bytes, ref long disk, ref long inodes)
        {
            if (s.Nlink > 1 && !s.IsDirectory && !seen.Add((s.DevMajor, s.DevMinor, s.Ino))) return;
            inodes++;
            disk += s.Blocks * 512;
            if (s.IsRegular || s.IsSymlink) bytes += s.Size;
        }
    }
}
