using System;
using System.IO;
using ImageTools.Content;
using Xunit;

namespace ImageTools.UnitTests.Content
{
    public class ReadAheadStreamTests
    {
        [Theory]
        [InlineData(0, 4096)]
        [InlineData(1, 4096)]
        [InlineData(4096 * 3, 4096)]        // ends exactly at a buffer's end
        [InlineData(1_000_003, 4096)]
        public void Gives_the_inner_bytes_in_order(int length, int bufferSize)
        {
            var data = new byte[length];
            new Random(length).NextBytes(data);
            using var s = new ReadAheadStream(new MemoryStream(data), bufferSize, 3);
            var copy = new MemoryStream();
            var chunk = new byte[777];
            int n;
            while ((n = s.Read(chunk, 0, chunk.Length)) > 0) copy.Write(chunk, 0, n);
            Assert.Equal(data, copy.ToArray());
            Assert.Equal(0, s.Read(chunk, 0, chunk.Length));
        }

        [Fact]
        public void Hands_on_what_was_read_before_the_inner_stream_failed_then_throws_its_exception()
        {
            var data = new byte[10_000];
            new Random(1).NextBytes(data);
            using var s = new ReadAheadStream(new FailingStream(data), 4096, 2);
            var copy = new MemoryStream();
            var chunk = new byte[1000];
            var e = Assert.Throws<InvalidDataException>(() =>
            {
                int n;
                while ((n = s.Read(chunk, 0, chunk.Length)) > 0) copy.Write(chunk, 0, n);
            });
            Assert.Equal("damaged", e.Message);
            Assert.Equal(data, copy.ToArray());
        }

        [Fact]
        public void Disposing_before_the_end_stops_the_reader_and_disposes_the_inner_stream()
        {
            var inner = new MemoryStream(new byte[1 << 20]);
            var s = new ReadAheadStream(inner, 4096, 2);
            Assert.Equal(10, s.Read(new byte[10], 0, 10));
            s.Dispose();
            Assert.False(inner.CanRead);
        }

        /// <summary>Gives its bytes in small reads, then throws as a damaged gzip stream does.</summary>
        private sealed class FailingStream : ReadOnlyStream
        {
            private readonly byte[] _data;
            private int _position;
            public FailingStream(byte[] data) { _data = data; }
            public override int Read(byte[] buffer, int offset, int count)
            {
                if (_position == _data.Length) throw new InvalidDataException("damaged");
                int n = Math.Min(Math.Min(count, 300), _data.Length - _position);
                Buffer.BlockCopy(_data, _position, buffer, offset, n);
                _position += n;
                return n;
            }
        }
    }
}
