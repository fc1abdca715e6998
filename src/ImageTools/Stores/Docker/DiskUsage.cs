using System;
using System.Collections.Generic;
using System.IO;

namespace ImageTools.Stores.Docker
{
    /// <summary>Sizes of a folder tree without following symlinks, hard links counted once (as du does).</summary>
    internal static class DiskUsage
    {
        /// <param name="path">The folder (or file) to measure.</param>
        /// <param name="bytes">Bytes of regular files and symlinks.</param>
        /// <param name="disk">Allocated bytes of everything, folders included (du -s, in bytes).</param>
        public static void Measure(string path, out long bytes, out long disk)
        {
            bytes = 0; disk = 0;
            var seen = new HashSet<(uint, uint, ulong)>();
            var st = UnixFile.LStat(path);
            if (st == null) return;
            Add(st.Value, seen, ref bytes, ref disk);
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
                    Add(s.Value, seen, ref bytes, ref disk);
                    if (s.Value.IsDirectory) stack.Push(entry);
                }
            }
        }

        private static void Add(UnixStat s, HashSet<(uint, uint, ulong)> seen, ref long bytes, ref long disk)
        {
            if (s.Nlink > 1 && !s.IsDirectory && !seen.Add((s.DevMajor, s.DevMinor, s.Ino))) return;
            disk += s.Blocks * 512;
            if (s.IsRegular || s.IsSymlink) bytes += s.Size;
        }
    }
}
