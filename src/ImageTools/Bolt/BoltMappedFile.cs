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
    /// it resident instead of all of it. A page fault maps the neighbours of the page too (the kernel's fault-around,
    /// 64 KiB), so each page loaded counts as that much, and only the span of the file touched since the last trim
    /// (widened by that much) is handed back: a trim of the whole mapping of a large file cost more than the pages
    /// it dropped. bbolt never shrinks its file (it grows it with ftruncate), so the mapped
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

        /// <summary>What one page fault may map (the kernel's fault_around_bytes, 64 KiB by default).</summary>
        private const int FaultAroundBytes = 64 << 10;

        private IntPtr _address;
        private readonly int _length;
        private readonly object _trimLock = new object();
        private long _loadedSinceTrim;
        private long _touchedStart = long.MaxValue;
        private long _touchedEnd;

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

        /// <summary>
        /// Notes that <paramref name="bytes"/> at <paramref name="offset"/> were loaded; every <see cref="TrimBytes"/>
        /// (counting what fault-around maps with them) the pages touched since the last trim are dropped.
        /// </summary>
        internal void Loaded(long offset, int bytes)
        {
            long start = 0, end = 0;
            lock (_trimLock)
            {
                _touchedStart = Math.Min(_touchedStart, offset);
                _touchedEnd = Math.Max(_touchedEnd, offset + bytes);
                _loadedSinceTrim += Math.Max(bytes, FaultAroundBytes);
                if (_loadedSinceTrim < TrimBytes) return;
                start = _touchedStart;
                end = _touchedEnd;
                _loadedSinceTrim = 0;
                _touchedStart = long.MaxValue;
                _touchedEnd = 0;
            }
            Trim(start, end);
        }

        /// <summary>Drops this process's resident view of the mapped pages around [start, end) (read again from the page cache when touched).</summary>
        private void Trim(long start, long end)
        {
            IntPtr address = _address;
            if (address == IntPtr.Zero) return;
            long page = Environment.SystemPageSize;
            start = Math.Max(0, start - FaultAroundBytes) / page * page;
            end = Math.Min(_length, end + FaultAroundBytes);
            if (end > start) LibC.madvise(address + (int)start, (UIntPtr)(ulong)(end - start), MadvDontNeed);
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
