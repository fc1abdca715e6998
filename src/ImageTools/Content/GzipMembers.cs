using System;
using System.IO;
using ICSharpCode.SharpZipLib.GZip;

namespace ImageTools.Content
{
    /// <summary>
    /// Checks a gzip stream member by member (SharpZipLib validates each member's CRC-32 and size and fails on one
    /// that ends early). The runtime's GZipStream reads concatenated members (eStargz layers, `cat a.gz b.gz`) but
    /// hides where they start, so the trailer of the last member alone cannot tell a whole multi-member stream from a
    /// cut one; this slower, second read settles it, and runs only when that trailer disagrees with the size read.
    /// </summary>
    internal static class GzipMembers
    {
        /// <summary>Null when <paramref name="compressed"/> holds whole gzip members that decompress to <paramref name="expectedSize"/> bytes, else why not.</summary>
        internal static string? Check(Stream compressed, long expectedSize)
        {
            long total = 0;
            try
            {
                using (var gzip = new GZipInputStream(compressed) { IsStreamOwner = false })
                {
                    var buffer = new byte[1 << 16];
                    int n;
                    while ((n = gzip.Read(buffer, 0, buffer.Length)) > 0) total += n;
                }
            }
            catch (Exception e) when (e is ICSharpCode.SharpZipLib.SharpZipBaseException || e is EndOfStreamException || e is IOException)
            {
                return $"after {total} decompressed bytes: {e.Message}";
            }
            return total == expectedSize ? null : $"its members hold {total} bytes, {expectedSize} were read";
        }
    }
}
