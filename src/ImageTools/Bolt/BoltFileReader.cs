using System;
using System.IO;
using System.Runtime.InteropServices;
using ImageTools.Content;
using Microsoft.Win32.SafeHandles;

namespace ImageTools.Bolt
{
    /// <summary>
    /// Brings a whole file into memory without taking or waiting for any lock: mapped where it can be
    /// (<see cref="BoltMappedFile"/>), else read into one array. A live containerd or dockerd holds
    /// flock(LOCK_EX) on its bbolt file; on Unix .NET's FileStream(path, ...) takes flock(LOCK_SH|LOCK_NB) even with
    /// FileShare.ReadWrite and fails at once with a sharing violation, so on Unix the file is opened with open(2) and
    /// the descriptor is wrapped in a FileStream, which takes no lock. On Windows the share flags are what matter.
    /// </summary>
    internal static class BoltFileReader
    {
        /// <summary>The file's bytes, mapped (<paramref name="mapping"/> set) or read into an array (<paramref name="mapping"/> null).</summary>
        internal static ReadOnlyMemory<byte> Load(string path, out BoltMappedFile? mapping)
        {
            using (var stream = OpenWithoutLock(path, out int fd))
            {
                mapping = null;
                if (fd >= 0)
                {
                    long length = 0;
                    try { length = stream.Length; } catch (NotSupportedException) { }
                    mapping = BoltMappedFile.TryMap(fd, length);
                    if (mapping != null) return mapping.Memory;
                }
                return ReadAll(stream);
            }
        }

        /// <summary>Reads the whole file into one array.</summary>
        internal static byte[] ReadAll(string path)
        {
            using (var stream = OpenWithoutLock(path, out _)) return ReadAll(stream);
        }

        /// <summary>The first <paramref name="count"/> bytes of the file (fewer when it is shorter).</summary>
        internal static byte[] ReadPrefix(string path, int count)
        {
            using (var stream = OpenWithoutLock(path, out _))
            {
                var buffer = new byte[count];
                int read = stream.ReadFully(buffer);
                if (read < count) Array.Resize(ref buffer, read);
                return buffer;
            }
        }

        private static byte[] ReadAll(Stream stream)
        {
            long length = 0;
            try { length = stream.Length; } catch (NotSupportedException) { }
            if (length > 0 && length < int.MaxValue)
            {
                // read straight into an array of the file's size: a MemoryStream plus ToArray held two copies at the peak
                var buffer = new byte[length];
                int read = stream.ReadFully(buffer);
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

        /// <summary>Opens the file for reading; <paramref name="fd"/> is its descriptor on Unix, else -1.</summary>
        private static Stream OpenWithoutLock(string path, out int fd)
        {
            string full = Path.GetFullPath(path);
            fd = -1;
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                try
                {
                    fd = LibC.open(LibC.Path(full), RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? LibC.OCloExec : 0);
                }
                catch (Exception e) when (e is DllNotFoundException || e is EntryPointNotFoundException)
                {
                    fd = -2;
                }
                if (fd >= 0) return new FileStream(new SafeFileHandle((IntPtr)fd, true), FileAccess.Read, 1);
                if (fd == -1) ThrowForErrno(Marshal.GetLastWin32Error(), full);
                fd = -1;
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
