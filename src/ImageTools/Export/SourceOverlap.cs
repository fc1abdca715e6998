using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;

namespace ImageTools.Export
{
    /// <summary>
    /// Refuses a destination that is, or is inside, a store being read (or holds one), before anything is written:
    /// writing there would change what is being read (Copy-Image from a layout into itself rewrites its index.json).
    /// Paths are compared as the kernel resolves them, symlinks included; a destination that does not exist yet is
    /// resolved through its nearest existing folder.
    /// </summary>
    internal static class SourceOverlap
    {
        public static void Refuse(string destination, IEnumerable<string> sources)
        {
            string dest = RealPath(destination);
            foreach (var source in sources)
            {
                if (source.Contains("://")) continue; // a remote store
                string src = RealPath(source);
                if (Contains(src, dest))
                    throw new ImageToolsException(ErrorId.DestinationInsideSource,
                        $"The destination {destination} is {(dest == src ? "" : "inside ")}the store being read ({source}); nothing was written. Choose a destination outside it.", destination, source);
                if (Contains(dest, src))
                    throw new ImageToolsException(ErrorId.DestinationInsideSource,
                        $"The destination {destination} holds the store being read ({source}); nothing was written. Choose a destination outside it.", destination, source);
            }
        }

        private static bool Contains(string folder, string path) =>
            path == folder || path.StartsWith(folder == "/" ? "/" : folder + "/", StringComparison.Ordinal);

        /// <summary>The canonical path: every symlink, '.' and '..' resolved; the missing tail of a path that does not exist is kept as written.</summary>
        internal static string RealPath(string path)
        {
            string full = Path.GetFullPath(path).TrimEnd('/');
            if (full.Length == 0) full = "/";
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux) && !RuntimeInformation.IsOSPlatform(OSPlatform.OSX)) return full;
            string existing = full, tail = "";
            while (true)
            {
                string? resolved = Resolve(existing);
                if (resolved != null) return tail.Length == 0 ? resolved : Path.Combine(resolved, tail);
                string? parent = Path.GetDirectoryName(existing);
                if (parent == null) return full;
                tail = tail.Length == 0 ? Path.GetFileName(existing) : Path.Combine(Path.GetFileName(existing), tail);
                existing = parent;
            }
        }

        [DllImport("libc", SetLastError = true)] private static extern IntPtr realpath(string path, IntPtr resolved);
        [DllImport("libc")] private static extern void free(IntPtr p);

        private static string? Resolve(string path)
        {
            IntPtr p = realpath(path, IntPtr.Zero);
            if (p == IntPtr.Zero) return null;
            try { return Marshal.PtrToStringAnsi(p); }
            finally { free(p); }
        }
    }
}
