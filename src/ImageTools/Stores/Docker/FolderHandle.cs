using System;
using static ImageTools.LibC;

namespace ImageTools.Stores.Docker
{
    /// <summary>
    /// A folder held open (O_PATH) so that thousands of small files in its subfolders are opened relative to it
    /// (openat): the kernel then looks up two path components per file instead of the whole path from /, which was the
    /// largest part of reading a layer database. Null from <see cref="TryOpen"/> where that cannot be done: the
    /// caller then opens by full path, as before. Closed by <see cref="Dispose"/>, or by the finalizer when a listing
    /// was stopped before it could close it.
    /// </summary>
    internal sealed class FolderHandle : IDisposable
    {
        private int _fd;

        private FolderHandle(string path, int fd) { Path = path; _fd = fd; }

        public string Path { get; }

        /// <summary>The descriptor; -1 once closed.</summary>
        public int Fd => _fd;

        public static FolderHandle? TryOpen(string path)
        {
            try
            {
                int fd = open(LibC.Path(path), OPath | ODirectory | OCloExec);
                return fd < 0 ? null : new FolderHandle(path, fd);
            }
            catch (Exception e) when (e is EntryPointNotFoundException || e is DllNotFoundException) { return null; }
        }

        public void Dispose()
        {
            Close();
            GC.SuppressFinalize(this);
        }

        ~FolderHandle() => Close();

        private void Close()
        {
            int fd = System.Threading.Interlocked.Exchange(ref _fd, -1);
            if (fd >= 0) close(fd);
        }
    }
}
