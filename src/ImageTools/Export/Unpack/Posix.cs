using System;
using System.ComponentModel;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using static ImageTools.LibC;

namespace ImageTools.Export.Unpack
{
    /// <summary>
    /// The few Linux calls an unpacker needs that .NET Standard does not offer: create a file exclusively (never
    /// through a symlink), owners, modes, mtimes on symlinks, xattrs, device nodes, fifos, hard links and symlinks.
    /// Linux only (glibc or musl, 64-bit).
    /// </summary>
    internal static class Posix
    {
        public const uint S_IFIFO = 0x1000, S_IFCHR = 0x2000, S_IFBLK = 0x6000;

        public static bool IsLinux => RuntimeInformation.IsOSPlatform(OSPlatform.Linux);
        public static bool IsRoot => IsLinux && geteuid() == 0;

        /// <summary>Creates a new file (fails if anything, a symlink included, is at the path) and returns its descriptor.</summary>
        public static int CreateExclusive(string path) => Check(open(LibC.Path(path), OWrOnly | OCreat | OExcl | OCloExec, 0x180), "create", path);

        public static void Write(int fd, byte[] buffer, int count, string path)
        {
            int done = 0;
            while (done < count)
            {
                long n = (long)write(fd, ref buffer[done], (UIntPtr)(uint)(count - done));
                if (n < 0) Check(-1, "write", path);
                done += (int)n;
            }
        }

        public static void Close(int fd, string path) => Check(close(fd), "close", path);
        public static void FChmod(int fd, int mode, string path) => Check(fchmod(fd, (uint)mode), "chmod", path);
        public static void FChown(int fd, long uid, long gid, string path) => Check(fchown(fd, (int)uid, (int)gid), "chown", path);
        public static void FTimes(int fd, DateTimeOffset mtime, string path) => Check(futimens(fd, Times(mtime)), "set the times of", path);
        public static bool FSetXattr(int fd, string name, string value) { var b = Encoding.UTF8.GetBytes(value); return fsetxattr(fd, name, b, (UIntPtr)(uint)b.Length, 0) == 0; }

        public static void Chmod(string path, int mode) => Check(chmod(path, (uint)mode), "chmod", path);
        public static void LChown(string path, long uid, long gid) => Check(lchown(path, (int)uid, (int)gid), "chown", path);
        public static void LTimes(string path, DateTimeOffset mtime) => Check(utimensat(AtFdCwd, path, Times(mtime), AtSymlinkNoFollow), "set the times of", path);
        public static bool LSetXattr(string path, string name, string value) { var b = Encoding.UTF8.GetBytes(value); return lsetxattr(path, name, b, (UIntPtr)(uint)b.Length, 0) == 0; }
        public static void Symlink(string target, string path) => Check(symlink(target, path), "create the symlink", path);
        public static void Link(string existing, string path) => Check(link(existing, path), "create the hard link", path);

        public static void MakeNode(string path, uint type, int mode, long major, long minor)
        {
            ulong maj = (ulong)major, min = (ulong)minor;
            ulong dev = ((maj & 0xfffff000UL) << 32) | ((maj & 0xfffUL) << 8) | ((min & 0xffffff00UL) << 12) | (min & 0xffUL);
            Check(mknod(path, type | (uint)(mode & 0xFFF), dev), "create the node", path);
        }

        private static Timespec[] Times(DateTimeOffset mtime)
        {
            long ms = mtime.ToUnixTimeMilliseconds();
            var t = new Timespec { Seconds = Math.DivRem(ms, 1000, out long rem), Nanoseconds = rem * 1_000_000 };
            if (t.Nanoseconds < 0) { t.Seconds -= 1; t.Nanoseconds += 1_000_000_000; }
            return new[] { t, t };
        }

        private static int Check(int result, string what, string path)
        {
            if (result >= 0) return result;
            int errno = Marshal.GetLastWin32Error();
            throw new IOException($"Cannot {what} {path}: {new Win32Exception(errno).Message}", errno);
        }
    }
}
