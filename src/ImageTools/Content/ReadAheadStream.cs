using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace ImageTools.Content
{
    /// <summary>
    /// Reads another stream ahead on a thread of its own, a few buffers at a time, so that producing the bytes
    /// (inflating a compressed layer) and consuming them (parsing its tar headers) run on two cores, as
    /// <c>tar -tvzf</c> does with its gzip process. Waits block without spinning. A failure of the inner stream
    /// is thrown by the Read that reaches it. Disposing stops the reader and disposes the inner stream.
    /// </summary>
    internal sealed class ReadAheadStream : ReadOnlyStream
    {
        private readonly Stream _inner;
        private readonly object _gate = new object();
        private readonly Queue<(byte[] Buffer, int Count)> _filled = new Queue<(byte[], int)>();
        private readonly Stack<byte[]> _free = new Stack<byte[]>();
        private readonly Thread _thread;
        private ExceptionDispatchInfo? _failure;
        private bool _ended, _stopped;
        private byte[]? _current;
        private int _currentCount, _currentOffset;

        public ReadAheadStream(Stream inner, int bufferSize = 256 * 1024, int buffers = 4)
        {
            _inner = inner;
            for (int i = 0; i < buffers; i++) _free.Push(new byte[bufferSize]);
            _thread = new Thread(Fill) { IsBackground = true, Name = "ImageTools read-ahead" };
            _thread.Start();
        }

        /// <summary>The reader thread: fills free buffers until the inner stream ends or fails (what was read before a failure is still handed on).</summary>
        private void Fill()
        {
            while (true)
            {
                byte[] buffer;
                lock (_gate)
                {
                    while (_free.Count == 0 && !_stopped) Monitor.Wait(_gate);
                    if (_stopped) return;
                    buffer = _free.Pop();
                }
                int n = 0;
                ExceptionDispatchInfo? failure = null;
                try
                {
                    while (n < buffer.Length)
                    {
                        int got = _inner.Read(buffer, n, buffer.Length - n);
                        if (got <= 0) break;
                        n += got;
                    }
                }
                catch (Exception e) { failure = ExceptionDispatchInfo.Capture(e); }
                lock (_gate)
                {
                    if (n > 0) _filled.Enqueue((buffer, n));
                    _failure = failure;
                    if (n < buffer.Length) _ended = true;
                    Monitor.PulseAll(_gate);
                    if (_ended) return;
                }
            }
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (count == 0) return 0;
            if (_current == null || _currentOffset == _currentCount)
            {
                lock (_gate)
                {
                    if (_current != null) { _free.Push(_current); _current = null; Monitor.PulseAll(_gate); }
                    while (_filled.Count == 0 && !_ended) Monitor.Wait(_gate);
                    if (_filled.Count == 0)
                    {
                        _failure?.Throw();
                        return 0;
                    }
                    (_current, _currentCount) = _filled.Dequeue();
                    _currentOffset = 0;
                }
            }
            int n = Math.Min(count, _currentCount - _currentOffset);
            Buffer.BlockCopy(_current!, _currentOffset, buffer, offset, n);
            _currentOffset += n;
            return n;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                lock (_gate)
                {
                    _stopped = true;
                    Monitor.PulseAll(_gate);
                }
                _thread.Join(); // at most one read of the inner stream away
                _inner.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
