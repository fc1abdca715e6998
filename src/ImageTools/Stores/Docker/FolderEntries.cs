using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Text;
using static ImageTools.LibC;

namespace ImageTools.Stores.Docker
{
    /// <summary>One entry of a folder as getdents64 gives it: its name and the type the file system records (no stat).</summary>
    internal readonly struct FolderEntry
    {
        public const byte UnknownType = 0, DirectoryType = 4, SymlinkType = 10;

        public FolderEntry(string name, byte type) { Name = name; Type = type; }

        public string Name { get; }

        /// <summary>d_type: <see cref="DirectoryType"/>, <see cref="SymlinkType"/>, <see cref="UnknownType"/> (the file system does not say)...</summary>
        public byte Type { get; }

        /// <summary>A folder itself, not a symlink to one: a folder inside a folder that is inside a store is inside it too.</summary>
        public bool IsPlainDirectory => Type == DirectoryType;
    }

    /// <summary>
    /// Lists a folder with getdents64 alone, so that the thousands of overlay2 directories of a Docker data root are
    /// told apart from symlinks without one lstat each (as du and find do).
    /// </summary>
    internal static class FolderEntries
    {
        private const byte Dot = (byte)'.';
        [ThreadStatic] private static byte[]? _records;
        [ThreadStatic] private static byte[]? _path; // a listing reads thousands of folders: one buffer per thread

        /// <summary>The entries of <paramref name="folder"/> (following it if it is a symlink), without . and ..; null when it cannot be read this way.</summary>
        public static List<FolderEntry>? Read(string folder)
        {
            try { return ReadNative(folder); }
            catch (Exception e) when (e is EntryPointNotFoundException || e is DllNotFoundException) { return null; }
        }

        private static List<FolderEntry>? ReadNative(string folder)
        {
            int fd = open(LibC.Path(folder, null, ref _path), ORdOnly | ODirectory | OCloExec);
            if (fd < 0) return null;
            try
            {
                var entries = new List<FolderEntry>();
                var records = _records ??= new byte[32 * 1024];
                while (true)
                {
                    long n = getdents64(fd, records, (UIntPtr)records.Length).ToInt64();
                    if (n < 0) return Marshal.GetLastWin32Error() == 0 ? entries : null;
                    if (n == 0) return entries;
                    for (int pos = 0; pos < n;)
                    {
                        int length = BitConverter.ToUInt16(records, pos + 16);
                        byte type = records[pos + 18];
                        int name = pos + 19; // struct linux_dirent64: ino 8, off 8, reclen 2, type 1, name
                        pos += length;
                        int end = Array.IndexOf(records, (byte)0, name);
                        if (records[name] == Dot && (end == name + 1 || (end == name + 2 && records[name + 1] == Dot))) continue;
                        entries.Add(new FolderEntry(Encoding.UTF8.GetString(records, name, end - name), type));
                    }
                }
            }
            finally { close(fd); }
        }
    }
}
