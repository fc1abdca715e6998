using System;
using System.IO;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ImageTools.Bolt
{
    /// <summary>
    /// Reads a whole file into memory without taking or waiting for any lock. A live containerd or dockerd holds
    /// flock(LOCK_EX) on its bbolt file; on Unix .NET's FileStream(path, ...) takes flock(LOCK_SH|LOCK_NB) even with
    /// FileShare.ReadWrite and fails at once with a sharing violation, so on Unix the file is opened with open(2) and
    /// the descriptor is wrapped in a FileStream, which takes no lock. On Windows the share flags are what matter.
    /// </summary>
    internal static class BoltFileReader
    {
        private const int LinuxOCloExec = 0x80000;

        [DllImport("libc", EntryPoint = "open", SetLastError = true)]
        private static extern int UnixOpen(byte[] nulTerminatedUtf8Path, int flags);

        internal static byte[] ReadAll(string path)
        {
            using (var stream = OpenWithoutLock(path))
            {
                long length = 0;
                try { length = stream.Length; } catch (NotSupportedException) { }
                if (length > 0 && length < int.MaxValue)
                {
                    // read straight into an array of the file's size: a MemoryStream plus ToArray held two copies at the peak
                    var buffer = new byte[length];
                    int read = 0;
                    while (read < buffer.Length)
                    {
                        int n = stream.Read(buffer, read, buffer.Length - read);
                        if (n <= 0) break;
                        read += n;
                    }
                    if (read < buffer.Length) Array.Resize(ref buffer, read);
                    else if (stream.ReadByte() is int next && next >= 0)
                    {
                        // the file grew while it was read (a live writer): keep reading the rest
                        var more = new MemoryStream();
                        more.WriteByte((byte)next);
                        stream.CopyTo(more, 1 << 20);
                        int old = buffer.Length;
                        Array.Resize(ref buffer, old + (int)more.Length);
                        more.Position = 0;
                        more.Read(buffer, old, (int)more.Length);
                    }
                    return buffer;
                }
                var memory = new MemoryStream();
                stream.CopyTo(memory, 1 << 20);
                return memory.ToArray();
            }
        }

        private static Stream OpenWithoutLock(string path)
        {
            string full = Path.GetFullPath(path);
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                int fd;
                try
                {
                    fd = UnixOpen(System.Text.Encoding.UTF8.GetBytes(full + "\0"), RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? LinuxOCloExec : 0);
                }
                catch (Exception e) when (e is DllNotFoundException || e is EntryPointNotFoundException)
                {
                    fd = -2;
                }
                if (fd >= 0) return new FileStream(new SafeFileHandle((IntPtr)fd, true), FileAccess.Read, 1);
                if (fd == -1) ThrowForErrno(Marshal.GetLastWin32Error(), full);
            }
            return new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1);
        }

        private static void ThrowForErrno(int errno, string path)
        {
            switch (errno)
            {
                case 2: throw new FileNotFoundException($"Could not find file '{path}'.", path);
                case 13: throw new UnauthorizedAccessException($"Access to the path '{path}' is denied.");
                default: throw new IOException($"Could not open '{path}' (errno {errno}).");
            }
        }
    }
}
