using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using static ImageTools.LibC;

namespace ImageTools.Stores.Docker
{
    /// <summary>What lstat says about a path (statx with AT_SYMLINK_NOFOLLOW).</summary>
    internal readonly struct UnixStat
    {
        public const uint TypeMask = 0xF000, Fifo = 0x1000, CharDevice = 0x2000, Dir = 0x4000, BlockDevice = 0x6000,
            Regular = 0x8000, Symlink = 0xA000, Socket = 0xC000;

        public UnixStat(uint mode, uint nlink, uint uid, uint gid, ulong ino, long size, long blocks, uint rdevMajor, uint rdevMinor, uint devMajor, uint devMinor)
        {
            Mode = mode; Nlink = nlink; Uid = uid; Gid = gid; Ino = ino; Size = size; Blocks = blocks;
            RdevMajor = rdevMajor; RdevMinor = rdevMinor; DevMajor = devMajor; DevMinor = devMinor;
        }

        public uint Mode { get; }
        public uint Nlink { get; }
        public uint Uid { get; }
        public uint Gid { get; }
        public ulong Ino { get; }
        public long Size { get; }
        public long Blocks { get; }
        public uint RdevMajor { get; }
        public uint RdevMinor { get; }
        public uint DevMajor { get; }
        public uint DevMinor { get; }

        public uint Type => Mode & TypeMask;
        public bool IsDirectory => Type == Dir;
        public bool IsRegular => Type == Regular;
        public bool IsSymlink => Type == Symlink;

        /// <summary>An overlayfs whiteout: a character device 0:0.</summary>
        public bool IsWhiteout => Type == CharDevice && RdevMajor == 0 && RdevMinor == 0;
    }

    /// <summary>
    /// The few Linux calls .NET Standard does not offer: lstat (through statx, whose layout is the same on every
    /// architecture), readlink and lgetxattr. Docker data roots only exist on Linux.
    /// </summary>
    internal static class UnixFile
    {
        private const int ENOENT = 2, ENOTDIR = 20, ENODATA = 61, EACCES = 13, ERANGE = 34, EISDIR = 21, ELOOP = 40, EINTR = 4;

        [ThreadStatic] private static byte[]? _statBuf;
        [ThreadStatic] private static byte[]? _readBuf;
        [ThreadStatic] private static byte[]? _linkBuf;
        private static readonly byte[] EmptyPath = new byte[1];

        [ThreadStatic] private static byte[]? _pathBuf;

        /// <summary>
        /// <paramref name="folder"/>/<paramref name="name"/> (<paramref name="folder"/> alone when <paramref name="name"/> is
        /// null) as a syscall takes it, in this thread's buffer: valid until the next call on this thread.
        /// </summary>
        private static byte[] CPath(string folder, string? name = null, string? leaf = null) => LibC.Path(folder, name, ref _pathBuf, leaf);

        /// <summary><see cref="LStat(string)"/> of <paramref name="folder"/>/<paramref name="name"/>, without making that path.</summary>
        public static UnixStat? LStat(string folder, string name, string? leaf = null) => LStat(CPath(folder, name, leaf), folder, name, leaf);

        /// <summary>lstat; null when the path does not exist (or a component is not a directory).</summary>
        public static UnixStat? LStat(string path) => LStat(CPath(path), path, null, null);

        /// <summary>
        /// <see cref="LStat(string)"/>, false when it cannot be told: an I/O or access error, or no libc to ask (the
        /// caller then asks another way). <paramref name="stat"/> is null when nothing is there.
        /// </summary>
        public static bool TryLStat(string path, out UnixStat? stat) => TryLStat(path, null, null, out stat);

        /// <summary><see cref="TryLStat(string, out UnixStat?)"/> of <paramref name="folder"/>/<paramref name="name"/>/<paramref name="leaf"/> (the parts not null), without making that path.</summary>
        public static bool TryLStat(string folder, string? name, string? leaf, out UnixStat? stat)
        {
            try
            {
                stat = name == null ? LStat(folder) : LStat(folder, name, leaf);
                return true;
            }
            catch (Exception e) when (ExpectedFailures.IsExpected(e) || e is EntryPointNotFoundException || e is DllNotFoundException)
            {
                stat = null;
                return false;
            }
        }

        private static UnixStat? LStat(byte[] cPath, string folder, string? name, string? leaf)
        {
            string Shown() => Joined(folder, name, leaf);
            var buf = _statBuf ??= new byte[256];
            if (statx(AtFdCwd, cPath, AtSymlinkNoFollow, StatxBasicStats, buf) != 0)
            {
                int err = Marshal.GetLastWin32Error();
                if (err == ENOENT || err == ENOTDIR) return null;
                if (err == EACCES) throw new UnauthorizedAccessException($"Access to '{Shown()}' is denied.");
                throw new IOException($"Cannot stat '{Shown()}' (errno {err}).");
            }
            uint nlink = BitConverter.ToUInt32(buf, 16);
            uint uid = BitConverter.ToUInt32(buf, 20);
            uint gid = BitConverter.ToUInt32(buf, 24);
            uint mode = BitConverter.ToUInt16(buf, 28);
            ulong ino = BitConverter.ToUInt64(buf, 32);
            long size = BitConverter.ToInt64(buf, 40);
            long blocks = BitConverter.ToInt64(buf, 48);
            return new UnixStat(mode, nlink, uid, gid, ino, size, blocks,
                BitConverter.ToUInt32(buf, 128), BitConverter.ToUInt32(buf, 132),
                BitConverter.ToUInt32(buf, 136), BitConverter.ToUInt32(buf, 140));
        }

        /// <summary>The parts that are not null, joined with '/': a path for a message.</summary>
        private static string Joined(string folder, string? name, string? leaf) =>
            name == null ? folder : leaf == null ? folder + "/" + name : folder + "/" + name + "/" + leaf;

        /// <summary>The target of a symlink, or null when the path is not a symlink or does not exist.</summary>
        public static string? ReadLink(string path) => ReadLink(path, null);

        /// <summary><see cref="ReadLink(string)"/> of <paramref name="folder"/>/<paramref name="name"/>, without making that path.</summary>
        public static string? ReadLink(string folder, string? name) => ReadLink(null, folder, name);

        /// <summary><see cref="ReadLink(string, string)"/>, relative to <paramref name="handle"/> (holding <paramref name="folder"/> open) when it is given.</summary>
        public static string? ReadLink(FolderHandle? handle, string folder, string? name)
        {
            var buf = _linkBuf ??= new byte[4096];
            int dirFd = handle?.Fd ?? -1;
            long n = (dirFd >= 0 && name != null ? readlinkat(dirFd, LibC.Path(name, null, ref _pathBuf), buf, (IntPtr)buf.Length)
                : readlink(CPath(folder, name), buf, (IntPtr)buf.Length)).ToInt64();
            if (n < 0) return null;
            return Encoding.UTF8.GetString(buf, 0, (int)n);
        }

        /// <summary>An extended attribute of the path itself (not following symlinks), or null when it has none.</summary>
        public static byte[]? GetXattr(string path, string name)
        {
            var p = LibC.Path(path); var nm = LibC.Path(name);
            var buf = new byte[256];
            while (true)
            {
                long n = lgetxattr(p, nm, buf, (IntPtr)buf.Length).ToInt64();
                if (n >= 0)
                {
                    var v = new byte[n];
                    Array.Copy(buf, v, n);
                    return v;
                }
                int err = Marshal.GetLastWin32Error();
                if (err == ERANGE && buf.Length < 1 << 16) { buf = new byte[buf.Length * 16]; continue; }
                return null; // ENODATA, ENOTSUP, ENOENT: no such attribute for our purposes
            }
        }

        /// <summary>True when the folder carries overlayfs's opaque marker (trusted.overlay.opaque or user.overlay.opaque = y).</summary>
        public static bool IsOpaque(string dir)
        {
            var v = GetXattr(dir, "trusted.overlay.opaque") ?? GetXattr(dir, "user.overlay.opaque");
            return v != null && v.Length == 1 && v[0] == (byte)'y';
        }

        /// <summary>
        /// Reads a small metadata file (cache-id, diff, parent, link...) as text with one open/read/close (these
        /// files are read by the thousand); null when it does not exist. Symlinks are not followed, and a FIFO,
        /// device or socket is NotARegularFile at once (opened without blocking, so never waited on).
        /// </summary>
        /// <remarks>
        /// A first read that returns less than the buffer and more than nothing is a regular file read to its end
        /// (that is how Linux answers for a regular file), so no statx is needed; any other first answer (nothing,
        /// a full buffer, an error) asks statx what the file is, as every read did before.
        /// </remarks>
        public static string? ReadSmallText(string path, int max = 1 << 16)
        {
            var buf = ReadSmall(null, path, null, null, max, out int length);
            return buf == null ? null : Encoding.UTF8.GetString(buf, 0, length);
        }

        /// <summary><see cref="ReadSmallText(string, int)"/> of <paramref name="folder"/>/<paramref name="name"/>, without making that path.</summary>
        public static string? ReadSmallText(string folder, string name, int max) => ReadSmallText(null, folder, name, null, max);

        /// <summary>
        /// <see cref="ReadSmallText(string, string, int)"/> of <paramref name="folder"/>/<paramref name="name"/>/<paramref name="leaf"/>, where <paramref name="handle"/> (when not null) holds
        /// <paramref name="folder"/> open: the file is opened relative to it (<paramref name="name"/>/<paramref name="leaf"/>).
        /// </summary>
        public static string? ReadSmallText(FolderHandle? handle, string folder, string name, string? leaf, int max)
        {
            var buf = ReadSmall(handle, folder, name, leaf, max, out int length);
            return buf == null ? null : Encoding.UTF8.GetString(buf, 0, length);
        }

        /// <summary><see cref="ReadSmallText(string, int)"/> giving the bytes as they are (a document to parse).</summary>
        public static byte[]? ReadSmallBytes(string path, int max) => ReadSmallBytes(null, path, null, null, max);

        /// <summary><see cref="ReadSmallBytes(string, int)"/> of <paramref name="folder"/>/<paramref name="name"/>/<paramref name="leaf"/>, relative to <paramref name="handle"/> when given.</summary>
        public static byte[]? ReadSmallBytes(FolderHandle? handle, string folder, string? name, string? leaf, int max)
        {
            var buf = ReadSmall(handle, folder, name, leaf, max, out int length);
            if (buf == null) return null;
            var bytes = new byte[length];
            Buffer.BlockCopy(buf, 0, bytes, 0, length);
            return bytes;
        }

        /// <summary>The file's bytes in this thread's read buffer (the first <paramref name="length"/>); null when it does not exist.</summary>
        private static byte[]? ReadSmall(FolderHandle? handle, string folder, string? name, string? leaf, int max, out int length)
        {
            length = 0;
            string path = null!; // made only for a message: files are read by the thousand
            string Shown() => path ??= Joined(folder, name, leaf);
            const int Flags = ORdOnly | OCloExec | ONoFollow | ONonBlock;
            int dirFd = handle?.Fd ?? -1;
            int fd = dirFd >= 0 && name != null ? openat(dirFd, LibC.Path(name, leaf, ref _pathBuf), Flags) : open(CPath(folder, name, leaf), Flags);
            if (fd < 0)
            {
                int err = Marshal.GetLastWin32Error();
                if (err == ENOENT || err == ENOTDIR) return null;
                if (err == EACCES) throw new UnauthorizedAccessException($"Access to '{Shown()}' is denied.");
                if (err == ELOOP) throw new IOException($"'{Shown()}' is a symlink, not a file.");
                throw new IOException($"Cannot open '{Shown()}' (errno {err}).");
            }
            try
            {
                var buf = _readBuf ??= new byte[8192];
                long first = Read(fd, buf, 0, out int firstError);
                if (first > 0 && first < buf.Length && first <= max)
                {
                    length = (int)first;
                    return buf;
                }
                var st = _statBuf ??= new byte[256];
                long expected = -1; // the size statx gives: reading stops there, without a read that returns 0
                bool stated = statx(fd, EmptyPath, AtEmptyPath | AtSymlinkNoFollow, StatxBasicStats, st) == 0;
                if (stated) expected = BitConverter.ToInt64(st, 40);
                if (stated && (BitConverter.ToUInt16(st, 28) & UnixStat.TypeMask) != UnixStat.Regular)
                {
                    if ((BitConverter.ToUInt16(st, 28) & UnixStat.TypeMask) == UnixStat.Dir) throw new IOException($"'{Shown()}' is a folder, not a file.");
                    throw new ImageToolsException(ErrorId.NotARegularFile, $"{Shown()} is not a regular file (a FIFO, device or socket); it is not read.", Shown(), Shown());
                }
                int total = 0;
                long n = first;
                int err = firstError;
                while (true)
                {
                    if (n < 0)
                    {
                        if (err != EINTR) throw new IOException(err == EISDIR ? $"'{Shown()}' is a folder, not a file." : $"Cannot read '{Shown()}' (errno {err}).");
                    }
                    else
                    {
                        if (n == 0) break;
                        total += (int)n;
                        if (total > max) break;
                        if (expected > 0 && total == expected) break; // a file that grows meanwhile is read as it was
                    }
                    if (total == buf.Length)
                    {
                        if (buf.Length > max) break;
                        Array.Resize(ref buf, buf.Length * 2);
                        _readBuf = buf;
                    }
                    n = Read(fd, buf, total, out err);
                }
                if (total > max) throw new ImageToolsException(ErrorId.MalformedContent, $"{Shown()} is more than the {max} bytes such a file can hold.", Shown(), Shown());
                length = total;
                return buf;
            }
            finally { close(fd); }
        }

        /// <summary>read(2) into <paramref name="buf"/> from <paramref name="offset"/>; -1 with <paramref name="error"/> (errno) on failure.</summary>
        private static long Read(int fd, byte[] buf, int offset, out int error)
        {
            var pin = GCHandle.Alloc(buf, GCHandleType.Pinned);
            try
            {
                long n = read(fd, pin.AddrOfPinnedObject() + offset, (IntPtr)(buf.Length - offset)).ToInt64();
                error = n < 0 ? Marshal.GetLastWin32Error() : 0;
                return n;
            }
            finally { pin.Free(); }
        }
    }
}
