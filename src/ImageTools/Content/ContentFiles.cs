using System;
using System.IO;
using Microsoft.Win32.SafeHandles;

namespace ImageTools.Content
{
    /// <summary>
    /// The one way the module opens a file of a store for reading. Only regular files are opened: where a blob or a
    /// document is expected, a FIFO, device, socket or folder is NotARegularFile at once (a FIFO would block forever,
    /// /dev/zero never ends). Symlinks are followed; what they lead to must be a regular file too.
    /// </summary>
    internal static class ContentFiles
    {
        private const int BufferSize = 1 << 16;

        /// <summary>
        /// Opens a regular file for reading with a 64 KiB buffer, letting others write, rename or delete it meanwhile:
        /// stores are read while the tools that own them keep working. NotARegularFile for anything else, without
        /// opening it; FileNotFoundException when nothing is there. <paramref name="bufferSize"/> 1 reads straight
        /// into the caller's buffers (a reader that reads in large pieces: each small read would otherwise fill and
        /// allocate a 64 KiB buffer per file).
        /// </summary>
        public static FileStream OpenRead(string path, int bufferSize = BufferSize)
        {
            if (!UnixFileStatus.Available)
            {
                if (Directory.Exists(path)) throw NotARegularFile(path, FileType.Directory);
                return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize);
            }
            RequireRegularFile(path);
            int fd = UnixFileStatus.OpenNonBlocking(path, out int errno);
            if (fd < 0) throw ForErrno(errno, path);
            try
            {
                // checked again on what was opened: the path may have been swapped in between
                int type = UnixFileStatus.TypeOf(fd);
                if (type != FileType.Regular) throw NotARegularFile(path, type);
                return new FileStream(new SafeFileHandle((System.IntPtr)fd, true), FileAccess.Read, bufferSize);
            }
            catch
            {
                UnixFileStatus.CloseDescriptor(fd);
                throw;
            }
        }

        /// <summary>
        /// The whole of a small document (index.json, manifest.json, a config...): ContentTooLarge naming the file and
        /// the cap when it holds more than <paramref name="maxSize"/> bytes, decided from its size before anything is read.
        /// <paramref name="what"/> says what the file is, for the message ("the index.json of an OCI layout").
        /// </summary>
        public static byte[] ReadAll(string path, long maxSize, string what)
        {
            using var file = OpenRead(path, bufferSize: 1);
            long length = file.Length;
            if (length > maxSize) throw TooLarge(path, length, maxSize, what);
            // the size stat gave, read straight into the result: no buffer beside it (listings read thousands of these)
            var content = new byte[length];
            int filled = 0, n;
            while (filled < content.Length && (n = file.Read(content, filled, content.Length - filled)) > 0) filled += n;
            if (filled < content.Length) return content.AsSpan(0, filled).ToArray();
            int next = file.ReadByte();
            if (next < 0) return content;
            // the file grew while it was read: the cap holds for what is read, not only for what stat said
            var grown = new MemoryStream();
            grown.Write(content, 0, filled);
            grown.WriteByte((byte)next);
            var buffer = new byte[81920];
            do
            {
                if (grown.Length > maxSize) throw TooLarge(path, grown.Length, maxSize, what);
                n = file.Read(buffer, 0, buffer.Length);
                grown.Write(buffer, 0, n);
            }
            while (n > 0);
            if (grown.Length > maxSize) throw TooLarge(path, grown.Length, maxSize, what);
            return grown.ToArray();
        }

        /// <summary>NotARegularFile when something other than a regular file is at <paramref name="path"/> (symlinks followed); nothing when it is missing.</summary>
        public static void RequireRegularFile(string path)
        {
            if (!UnixFileStatus.Available)
            {
                if (Directory.Exists(path)) throw NotARegularFile(path, FileType.Directory);
                return;
            }
            int? type = UnixFileStatus.TypeOf(path, out _);
            if (type.HasValue && type.Value != FileType.Regular) throw NotARegularFile(path, type.Value);
        }

        /// <summary>True when something (a file of any type, a folder) is at <paramref name="path"/>.</summary>
        public static bool Exists(string path) => File.Exists(path) || Directory.Exists(path);

        public static ImageToolsException NotARegularFile(string path, int type) =>
            new ImageToolsException(ErrorId.NotARegularFile,
                $"{path} is {FileType.Describe(type)}, not a regular file; it is not opened.", path, path);

        public static ImageToolsException TooLarge(string path, long size, long maxSize, string what) =>
            new ImageToolsException(ErrorId.ContentTooLarge,
                $"{path} ({what}) has at least {size} bytes, more than the {maxSize} allowed for it; it is not read.",
                path, path);

        private static System.Exception ForErrno(int errno, string path) => errno switch
        {
            2 => new FileNotFoundException($"Could not find file '{path}'.", path),
            20 => new DirectoryNotFoundException($"Could not find a part of the path '{path}'."),
            13 => new System.UnauthorizedAccessException($"Access to the path '{path}' is denied."),
            1 => new System.UnauthorizedAccessException($"Access to the path '{path}' is denied."),
            6 => new ImageToolsException(ErrorId.NotARegularFile, $"{path} is a socket or a device without a driver, not a regular file.", path, path),
            _ => new IOException($"Could not open '{path}' (errno {errno})."),
        };
    }
}
