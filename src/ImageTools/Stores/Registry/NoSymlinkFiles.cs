using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Text;
using ImageTools.Stores.Docker;
using static ImageTools.LibC;

namespace ImageTools.Stores.Registry
{
    /// <summary>
    /// The quick way through registry storage that holds nothing unusual: folders listed with getdents64 (the entry
    /// type instead of a stat), files opened with openat2(RESOLVE_NO_SYMLINKS) relative to a folder's descriptor,
    /// stat'ed once and read with one read into a reused buffer. Anything unusual (a symlink anywhere on the way, an
    /// entry that is not a folder where folders are listed, a FIFO or device, a file of an unexpected size, a name
    /// that is not printable ASCII, a failing call) is <see cref="Unusual"/>: the caller then reads the same place
    /// through <see cref="RegistryRoom"/>, which says what is wrong. One instance per thread (its buffers are reused).
    /// </summary>
    internal sealed class NoSymlinkFiles
    {
        private const ulong ResolveNoMagicLinks = 0x02, ResolveNoSymlinks = 0x04, ResolveBeneath = 0x08;
        private const int ENOENT = 2, ENOSYS = 38;
        private const byte DtDir = 4, Dot = (byte)'.';
        private static readonly byte[] EmptyPath = new byte[1];

        private static bool _available = RuntimeInformation.IsOSPlatform(OSPlatform.Linux);

        [ThreadStatic] private static NoSymlinkFiles? _ofThisThread;

        private readonly byte[] _records = new byte[32 * 1024];
        private readonly byte[] _stat = new byte[256];
        private byte[] _name = new byte[512];

        /// <summary>This thread's instance; null where openat2 is not there (not Linux, or a kernel older than 5.6).</summary>
        public static NoSymlinkFiles? OfThisThread => _available ? _ofThisThread ??= new NoSymlinkFiles() : null;

        /// <summary>Thrown when the quick way meets anything it does not handle; never leaves the quick readers.</summary>
        public sealed class Unusual : Exception { }

        /// <summary>
        /// Opens <paramref name="relative"/> (ASCII) under the folder <paramref name="dirfd"/> as a folder; -1 when
        /// nothing is there. Unusual when a component is a symlink or anything else fails.
        /// </summary>
        public int OpenFolder(int dirfd, string relative) => Open(dirfd, Name(relative), ODirectory);

        /// <summary>Opens an absolute path (UTF-8) as a folder, with no symlink on the way; -1 when nothing is there.</summary>
        public int OpenFolderAt(string absolutePath) => Open(AtFdCwd, LibC.Path(absolutePath), ODirectory);

        /// <summary>
        /// Reads the regular file <paramref name="path"/> (NUL-terminated) under <paramref name="dirfd"/> (AtFdCwd and an absolute
        /// path for none) when it holds 1 to <paramref name="max"/> bytes, into <paramref name="into"/> when it fits
        /// (else a new array); the byte count, or -1 when nothing is there. Unusual otherwise.
        /// </summary>
        public int ReadFile(int dirfd, byte[] path, long max, ref byte[] into)
        {
            int fd = Open(dirfd, path, ONonBlock);
            if (fd < 0) return -1;
            try
            {
                if (statx(fd, EmptyPath, AtEmptyPath | AtSymlinkNoFollow, StatxType | StatxSize, _stat) != 0) throw new Unusual();
                if ((BitConverter.ToUInt16(_stat, 28) & UnixStat.TypeMask) != UnixStat.Regular) throw new Unusual();
                long size = BitConverter.ToInt64(_stat, 40);
                if (size < 1 || size > max) throw new Unusual();
                if (into.Length < size + 1) into = new byte[size + 1];
                // one byte more than the size: a regular file read whole comes back in one read (anything else: Unusual)
                long n = read(fd, into, (IntPtr)(size + 1)).ToInt64();
                if (n != size) throw new Unusual();
                return (int)n;
            }
            finally { close(fd); }
        }

        /// <summary>The names in the folder <paramref name="fd"/>, sorted ordinally; Unusual when one is not a folder or not printable ASCII.</summary>
        public List<string> FolderNames(int fd)
        {
            var names = new List<string>();
            while (true)
            {
                long n = getdents64(fd, _records, (UIntPtr)_records.Length).ToInt64();
                if (n < 0) throw new Unusual();
                if (n == 0) break;
                for (int pos = 0; pos < n;)
                {
                    int length = BitConverter.ToUInt16(_records, pos + 16);
                    byte type = _records[pos + 18];
                    int name = pos + 19; // struct linux_dirent64: ino 8, off 8, reclen 2, type 1, name
                    pos += length;
                    if (_records[name] == Dot && (_records[name + 1] == 0 || (_records[name + 1] == Dot && _records[name + 2] == 0))) continue;
                    if (type != DtDir) throw new Unusual();
                    int end = name;
                    while (_records[end] != 0)
                    {
                        if (_records[end] < 0x21 || _records[end] > 0x7e) throw new Unusual();
                        end++;
                    }
                    names.Add(Encoding.ASCII.GetString(_records, name, end - name));
                }
            }
            names.Sort(StringComparer.Ordinal);
            return names;
        }

        /// <summary><paramref name="relative"/> (printable ASCII) as a NUL-terminated name in a reused buffer.</summary>
        public byte[] Name(string relative)
        {
            if (_name.Length < relative.Length + 1) _name = new byte[relative.Length * 2 + 1];
            for (int i = 0; i < relative.Length; i++)
            {
                char c = relative[i];
                if (c < 0x21 || c > 0x7e) throw new Unusual();
                _name[i] = (byte)c;
            }
            _name[relative.Length] = 0;
            return _name;
        }

        private static int Open(int dirfd, byte[] path, int flags)
        {
            var how = new OpenHow { Flags = (ulong)(ORdOnly | ONoFollow | OCloExec | flags), Resolve = ResolveNoSymlinks | ResolveNoMagicLinks };
            // relative to a folder: never above it either (a name with ".." fails here and goes the checked way)
            if (dirfd != AtFdCwd) how.Resolve |= ResolveBeneath;
            long fd;
            try { fd = openat2(SysOpenat2, dirfd, path, ref how, (UIntPtr)24); }
            catch (Exception e) when (e is EntryPointNotFoundException || e is DllNotFoundException) { _available = false; throw new Unusual(); }
            if (fd >= 0) return (int)fd;
            int err = Marshal.GetLastWin32Error();
            if (err == ENOSYS) _available = false; // ENOSYS: a kernel without openat2
            if (err == ENOENT) return -1;
            throw new Unusual();
        }
    }
}
