using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace ImageTools.Content
{
    /// <summary>
    /// Where a path really leads, as the kernel resolves it (realpath(3): every symlink, <c>.</c> and <c>..</c>): the
    /// one place the module asks, for the stores' closed rooms and for writers that must not write into their source.
    /// </summary>
    internal static class RealPaths
    {
        private static readonly bool HasRealPath =
            RuntimeInformation.IsOSPlatform(OSPlatform.Linux) || RuntimeInformation.IsOSPlatform(OSPlatform.OSX);

        /// <summary>The resolved path, or null when it does not exist (a missing file, or a symlink that leads nowhere).</summary>
        public static string? Resolve(string path)
        {
            if (!HasRealPath) return File.Exists(path) || Directory.Exists(path) ? Path.GetFullPath(path) : null;
            var buffer = new byte[4097];
            if (LibC.realpath(LibC.Path(path), buffer) == IntPtr.Zero) return null;
            int n = Array.IndexOf(buffer, (byte)0);
            return Encoding.UTF8.GetString(buffer, 0, n < 0 ? buffer.Length : n);
        }

        /// <summary>The resolved path of something that may not exist yet: its nearest existing folder resolved, the missing tail kept as written.</summary>
        public static string ResolveNearest(string path)
        {
            string full = Path.GetFullPath(path);
            if (full.Length > 1) full = full.TrimEnd(Path.DirectorySeparatorChar);
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

        /// <summary>True when the resolved <paramref name="path"/> is the resolved <paramref name="folder"/> or lies inside it.</summary>
        public static bool IsWithin(string folder, string path)
        {
            string sep = Path.DirectorySeparatorChar.ToString();
            return string.Equals(path, folder, StringComparison.Ordinal)
                || path.StartsWith(folder.EndsWith(sep, StringComparison.Ordinal) ? folder : folder + sep, StringComparison.Ordinal);
        }
    }
}
