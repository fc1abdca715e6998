using System.IO;

namespace ImageTools.Content
{
    /// <summary>Reading a whole buffer from a stream, whose Read may return fewer bytes than asked at any time.</summary>
    internal static class StreamReading
    {
        /// <summary>Reads until <paramref name="count"/> bytes are in <paramref name="buffer"/> from <paramref name="offset"/> on, or the stream ends; returns how many were read.</summary>
        internal static int ReadFully(this Stream stream, byte[] buffer, int offset, int count)
        {
            int total = 0;
            while (total < count)
            {
                int n = stream.Read(buffer, offset + total, count - total);
                if (n <= 0) break;
                total += n;
            }
            return total;
        }

        /// <summary>Reads until <paramref name="buffer"/> is full or the stream ends; returns how many bytes were read.</summary>
        internal static int ReadFully(this Stream stream, byte[] buffer) => ReadFully(stream, buffer, 0, buffer.Length);
    }
}
