using System.IO;
using ImageTools.Content;
using ImageTools.Content.Archives;
using ImageTools.Oci;

namespace ImageTools.Export
{
    /// <summary>
    /// Reads a compressed archive just written back through the same decoders the stores use, before it is renamed
    /// into place: what the file decompresses to must be the tar whose digest was taken while it was written.
    /// </summary>
    internal static class CompressedArchiveCheck
    {
        public static void Verify(string tempPath, string destination, Digest tarDigest)
        {
            using var hash = DigestAlgorithms.Create(Digest.Sha256);
            using (var s = CompressedArchiveDecoders.Open(tempPath, ArchiveCodecs.Detect(tempPath)))
            {
                var buffer = new byte[1 << 17];
                int n;
                while ((n = s.Read(buffer, 0, buffer.Length)) > 0) hash.AppendData(buffer, 0, n);
            }
            var got = Digest.FromBytes(Digest.Sha256, hash.GetHashAndReset());
            if (got != tarDigest)
                throw new ImageToolsException(ErrorId.DigestMismatch,
                    $"The compressed archive written for {destination} decompresses to {got}, not to the tar written ({tarDigest}); it was not put in place.",
                    destination, destination);
        }
    }
}
