using System;
using System.Runtime.InteropServices;
using System.Text;

namespace ImageTools
{
    /// <summary>
    /// Every libc call the module makes, declared once (Linux; the callers catch DllNotFoundException where another
    /// platform can do without). Paths are NUL-terminated UTF-8 bytes (<see cref="Path(string)"/>) where the bytes matter
    /// (file names that are not valid UTF-16), strings elsewhere.
    /// </summary>
    internal static class LibC
    {
        /// <summary>A path as open(2) and friends take it: UTF-8 with a terminating NUL.</summary>
        public static byte[] Path(string path)
        {
            var b = new byte[Encoding.UTF8.GetByteCount(path) + 1];
            Encoding.UTF8.GetBytes(path, 0, path.Length, b, 0);
            return b;
        }

        /// <summary>
        /// <see cref="Path(string)"/> of <paramref name="folder"/>/<paramref name="name"/>/<paramref name="leaf"/> (the parts
        /// that are not null) written into <paramref name="buffer"/> (grown when too small) and returned: for callers that pass
        /// one path per call by the thousand, each with its own thread-static buffer. The bytes after the NUL are stale.
        /// </summary>
        public static byte[] Path(string folder, string? name, ref byte[]? buffer, string? leaf = null)
        {
            int max = Encoding.UTF8.GetMaxByteCount(folder.Length + 2 + (name?.Length ?? 0) + (leaf?.Length ?? 0)) + 1;
            if (buffer == null || buffer.Length < max) buffer = new byte[Math.Max(max, 512)];
            int n = Encoding.UTF8.GetBytes(folder, 0, folder.Length, buffer, 0);
            n = Append(buffer, n, name);
            n = Append(buffer, n, leaf);
            buffer[n] = 0;
            return buffer;
        }

        private static int Append(byte[] buffer, int n, string? part)
        {
            if (part == null) return n;
            buffer[n++] = (byte)'/';
            return n + Encoding.UTF8.GetBytes(part, 0, part.Length, buffer, n);
        }

        // files
        /// <summary>open(2) flags, as Linux defines them on x86-64 (the platform the module is built and precompiled for).</summary>
        public const int ORdOnly = 0, OWrOnly = 0x1, OCreat = 0x40, OExcl = 0x80, ONoCtty = 0x100, ONonBlock = 0x800,
            ODirectory = 0x10000, ONoFollow = 0x20000, OCloExec = 0x80000, OPath = 0x200000;
        /// <summary>The *at(2) calls' AT_FDCWD and flags.</summary>
        public const int AtFdCwd = -100, AtSymlinkNoFollow = 0x100, AtEmptyPath = 0x1000;
        /// <summary>statx(2) masks: the file type, the size, STATX_BASIC_STATS.</summary>
        public const uint StatxType = 0x1, StatxSize = 0x200, StatxBasicStats = 0x7FF;
        [DllImport("libc", SetLastError = true)] public static extern int open(byte[] path, int flags, uint mode = 0);
        [DllImport("libc", SetLastError = true)] public static extern int openat(int dirfd, byte[] path, int flags, uint mode = 0);
        [DllImport("libc", SetLastError = true)] public static extern IntPtr readlinkat(int dirfd, byte[] path, byte[] buf, IntPtr size);
        [DllImport("libc", SetLastError = true)] public static extern IntPtr read(int fd, IntPtr buf, IntPtr count);
        [DllImport("libc", SetLastError = true)] public static extern IntPtr read(int fd, byte[] buf, IntPtr count);
        /// <summary>openat2(2) (Linux 5.6+; no libc wrapper): <paramref name="number"/> is <see cref="SysOpenat2"/>.</summary>
        [DllImport("libc", EntryPoint = "syscall", SetLastError = true)] public static extern long openat2(long number, int dirfd, byte[] path, ref OpenHow how, UIntPtr size);
        public const long SysOpenat2 = 437; // the same number on every architecture (syscalls added after 5.1 share it)
        [DllImport("libc", SetLastError = true)] public static extern IntPtr write(int fd, ref byte buffer, UIntPtr count);
        [DllImport("libc", SetLastError = true)] public static extern int close(int fd);

        // threads
        [DllImport("libc", SetLastError = true)] public static extern int gettid();
        /// <summary>setpriority(2); with <see cref="PrioProcess"/> and a thread id it sets that thread's nice value (Linux).</summary>
        [DllImport("libc", SetLastError = true)] public static extern int setpriority(int which, int who, int priority);
        public const int PrioProcess = 0;
        [DllImport("libc", SetLastError = true)] public static extern int statx(int dirfd, byte[] path, int flags, uint mask, byte[] buf);
        /// <summary>statx of a NUL-terminated name that sits inside a larger buffer (a getdents64 record).</summary>
        [DllImport("libc", EntryPoint = "statx", SetLastError = true)] public static extern int statxAt(int dirfd, ref byte name, int flags, uint mask, byte[] buf);
        [DllImport("libc", SetLastError = true)] public static extern IntPtr getdents64(int fd, byte[] buffer, UIntPtr count);
        [DllImport("libc", SetLastError = true)] public static extern IntPtr readlink(byte[] path, byte[] buf, IntPtr size);
        [DllImport("libc", SetLastError = true)] public static extern IntPtr realpath(byte[] path, byte[] resolved);
        [DllImport("libc", SetLastError = true)] public static extern IntPtr lgetxattr(byte[] path, byte[] name, byte[] value, IntPtr size);

        // memory maps (bolt databases)
        [DllImport("libc", SetLastError = true)] public static extern IntPtr mmap(IntPtr address, UIntPtr length, int protection, int flags, int fd, long offset);
        [DllImport("libc", SetLastError = true)] public static extern int munmap(IntPtr address, UIntPtr length);
        [DllImport("libc", SetLastError = true)] public static extern int madvise(IntPtr address, UIntPtr length, int advice);

        // metadata written when unpacking a root filesystem
        [DllImport("libc", SetLastError = true)] public static extern int fchmod(int fd, uint mode);
        [DllImport("libc", SetLastError = true)] public static extern int fchown(int fd, int uid, int gid);
        [DllImport("libc", SetLastError = true)] public static extern int futimens(int fd, Timespec[] times);
        [DllImport("libc", SetLastError = true)] public static extern int fsetxattr(int fd, string name, byte[] value, UIntPtr size, int flags);
        [DllImport("libc", SetLastError = true)] public static extern int chmod(string path, uint mode);
        [DllImport("libc", SetLastError = true)] public static extern int lchown(string path, int uid, int gid);
        [DllImport("libc", SetLastError = true)] public static extern int utimensat(int dirfd, string path, Timespec[] times, int flags);
        [DllImport("libc", SetLastError = true)] public static extern int lsetxattr(string path, string name, byte[] value, UIntPtr size, int flags);
        [DllImport("libc", SetLastError = true)] public static extern int symlink(string target, string linkPath);
        [DllImport("libc", SetLastError = true)] public static extern int link(string oldPath, string newPath);
        [DllImport("libc", SetLastError = true)] public static extern int mknod(string path, uint mode, ulong dev);
        [DllImport("libc")] public static extern uint geteuid();

        /// <summary>struct open_how of openat2(2).</summary>
        [StructLayout(LayoutKind.Sequential)]
        public struct OpenHow
        {
            public ulong Flags;
            public ulong Mode;
            public ulong Resolve;
        }

        /// <summary>struct timespec on 64-bit Linux.</summary>
        [StructLayout(LayoutKind.Sequential)]
        public struct Timespec
        {
            public long Seconds;
            public long Nanoseconds;
        }
    }
}
