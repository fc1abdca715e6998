using System;
using System.Collections.Generic;
using System.IO;

namespace ImageTools.Stores.Docker
{
    /// <summary>Sizes of a folder tree without following symlinks, hard links counted once (as du does).</summary>
    internal static class DiskUsage
    {
        /// <summary>The sizes of <paramref name="path"/>, as the overload below, without the inode count.</summary>
        public static void Measure(string path, out long bytes, out long disk) => Measure(path, out bytes, out disk, out _);

        /// <param name="path">The folder (or file) to measure.</param>
        /// <param name="bytes">Bytes of regular files and symlinks.</param>
        /// <param name="disk">Allocated bytes of everything, folders included (du -s, in bytes).</param>
        /// <param name="inodes">Distinct inodes, the folder itself included (containerd's fs.DiskUsage).</param>
        public static void Measure(string path, out long bytes, out long disk, out long inodes)
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
