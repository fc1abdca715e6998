using System;
using System.Buffers;
using System.Runtime.InteropServices;
using System.Threading;

namespace ImageTools.Bolt
{
    /// <summary>
    /// A database file mapped read-only into memory (mmap, MAP_SHARED) on Linux: nothing is copied, and a page costs
    /// memory only once it is reached. The kernel's page cache is what is mapped, so a live writer's commits are
    /// visible at once (see <see cref="BoltDatabase"/> for how a read that overlaps a commit is caught).
    /// </summary>
    /// <remarks>
    /// Pages already walked are handed back to the kernel (madvise MADV_DONTNEED) every <see cref="TrimBytes"/> of
    /// pages loaded: on a read-only shared file mapping that only drops this process's view of the pages, and a
    /// page touched again is read back from the page cache, so a walk over the whole file keeps a bounded window of
    /// it resident instead of all of it. bbolt never shrinks its file (it grows it with ftruncate), so the mapped
    /// length stays backed by the file. The mapping is released when this object is disposed or finalized; every
    /// <see cref="ReadOnlyMemory{T}"/> made from it keeps it alive.
    /// </remarks>
    internal sealed unsafe class BoltMappedFile : MemoryManager<byte>
    {
        /// <summary>How many bytes of pages are loaded between two trims of the resident pages (tests lower it).</summary>
        internal static long TrimBytes = 8L << 20;

        private const int ProtRead = 0x1;
        private const int MapShared = 0x01;
        private const int MadvDontNeed = 4;

        private IntPtr _address;
        private readonly int _length;
        private long _loadedSinceTrim;

        private BoltMappedFile(IntPtr address, int length)
        {
            _address = address;
            _length = length;
        }

        ~BoltMappedFile() => Dispose(false);

        /// <summary>
        /// Maps <paramref name="length"/> bytes of the open file <paramref name="fd"/>; null when mapping is not possible
        /// here (not 64-bit Linux, an empty or too large file, a file system that cannot map), and the caller reads instead.
        /// </summary>
        internal static BoltMappedFile? TryMap(int fd, long length)
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux) || IntPtr.Size != 8) return null;
            if (length <= 0 || length > int.MaxValue) return null;
            IntPtr address;
            try { address = LibC.mmap(IntPtr.Zero, (UIntPtr)(ulong)length, ProtRead, MapShared, fd, 0); }
            catch (Exception e) when (e is DllNotFoundException || e is EntryPointNotFoundException) { return null; }
            if (address == new IntPtr(-1)) return null;
            return new BoltMappedFile(address, (int)length);
        }

        public override Span<byte> GetSpan()
        {
            if (_address == IntPtr.Zero) throw new ObjectDisposedException(nameof(BoltMappedFile));
            return new Span<byte>((void*)_address, _length);
        }

        public override MemoryHandle Pin(int elementIndex = 0)
        {
            if ((uint)elementIndex > (uint)_length) throw new ArgumentOutOfRangeException(nameof(elementIndex));
            if (_address == IntPtr.Zero) throw new ObjectDisposedException(nameof(BoltMappedFile));
            // the handle refers to this object, so the mapping outlives every pointer handed out
            return new MemoryHandle((byte*)_address + elementIndex, default, this);
        }

        public override void Unpin() { }

        /// <summary>Notes that a page of <paramref name="bytes"/> was loaded; every <see cref="TrimBytes"/> the resident pages are dropped.</summary>
        internal void Loaded(int bytes)
        {
            if (Interlocked.Add(ref _loadedSinceTrim, bytes) < TrimBytes) return;
            Interlocked.Exchange(ref _loadedSinceTrim, 0);
            Trim();
        }

        /// <summary>Drops this process's resident view of the mapped pages (they are read again from the page cache when touched).</summary>
        private void Trim()
        {
            IntPtr address = _address;
            if (address != IntPtr.Zero) LibC.madvise(address, (UIntPtr)(ulong)_length, MadvDontNeed);
            GC.KeepAlive(this);
        }

        protected override void Dispose(bool disposing)
        {
            IntPtr address = Interlocked.Exchange(ref _address, IntPtr.Zero);
            if (address != IntPtr.Zero) LibC.munmap(address, (UIntPtr)(ulong)_length);
            if (disposing) GC.SuppressFinalize(this);
        }
    }
}
