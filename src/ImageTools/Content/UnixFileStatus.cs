using System;
using System.IO;
using System.Runtime.InteropServices;

namespace ImageTools.Content
{
    /// <summary>
    /// The type of a file on Linux, from statx(2) (whose layout is the same on every architecture), and an open(2)
    /// that never blocks (O_NONBLOCK: a FIFO without a writer would otherwise wait forever) and takes no lock (.NET's
    /// FileStream(path) takes flock on Unix). Elsewhere, or with a libc without statx, <see cref="Available"/> is false.
    /// </summary>
    internal static class UnixFileStatus
    {
        private const int StatxModeOffset = 28;
        private const int OReadOnlyNonBlockNoTtyCloExec = LibC.ORdOnly | LibC.ONonBlock | LibC.ONoCtty | LibC.OCloExec;

        private static bool? _available;

        public static bool Available
        {
            get
            {
                if (_available == null)
                {
                    bool ok = false;
                    if (RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
                    {
                        try { LibC.statx(LibC.AtFdCwd, LibC.Path("/"), 0, LibC.StatxType, new byte[256]); ok = true; }
                        catch (Exception e) when (e is DllNotFoundException || e is EntryPointNotFoundException) { }
                    }
                    _available = ok;
                }
                return _available.Value;
            }
        }

        /// <summary>The S_IFMT bits of what <paramref name="path"/> names (symlinks followed); null when it cannot be read (errno set).</summary>
        public static int? TypeOf(string path, out int errno)
        {
            var buffer = new byte[256];
            errno = 0;
            if (LibC.statx(LibC.AtFdCwd, LibC.Path(path), 0, LibC.StatxType, buffer) == 0) return BitConverter.ToUInt16(buffer, StatxModeOffset) & FileType.Mask;
            errno = Marshal.GetLastWin32Error();
            return null;
        }

        /// <summary>The S_IFMT bits of an open descriptor.</summary>
        public static int TypeOf(int fd)
        {
            var buffer = new byte[256];
            if (LibC.statx(fd, LibC.Path(""), LibC.AtEmptyPath, LibC.StatxType, buffer) != 0)
                throw new IOException($"statx on descriptor {fd} failed (errno {Marshal.GetLastWin32Error()}).");
            return BitConverter.ToUInt16(buffer, StatxModeOffset) & FileType.Mask;
        }

        /// <summary>Opens for reading without blocking and without a lock; -1 with <paramref name="errno"/> set when it fails.</summary>
        public static int OpenNonBlocking(string path, out int errno)
        {
            int fd = LibC.open(LibC.Path(path), OReadOnlyNonBlockNoTtyCloExec);
            errno = fd < 0 ? Marshal.GetLastWin32Error() : 0;
            return fd;
        }

        public static void CloseDescriptor(int fd) => LibC.close(fd);

    }

    /// <summary>The S_IFMT file types of POSIX, and how to name them in a message.</summary>
    internal static class FileType
    {
        public const int Mask = 0xF000;
        public const int Fifo = 0x1000;
        public const int CharDevice = 0x2000;
        public const int Directory = 0x4000;
        public const int BlockDevice = 0x6000;
        public const int Regular = 0x8000;
        public const int Symlink = 0xA000;
        public const int Socket = 0xC000;

        public static string Describe(int type) => type switch
        {
            Fifo => "a FIFO (named pipe)",
            CharDevice => "a character device",
            Directory => "a folder",
            BlockDevice => "a block device",
            Symlink => "a symbolic link",
            Socket => "a socket",
            _ => $"a file of type 0x{type:x}",
        };
    }
}
