using System.Security.Cryptography;
using ImageTools.Oci;

namespace ImageTools.Content
{
    internal static class DigestAlgorithms
    {
        public static IncrementalHash Create(string algorithm) => algorithm switch
        {
            Digest.Sha256 => IncrementalHash.CreateHash(HashAlgorithmName.SHA256),
            Digest.Sha512 => IncrementalHash.CreateHash(HashAlgorithmName.SHA512),
            _ => throw new ImageToolsException(ErrorId.UnsupportedAlgorithm,
                $"Digest algorithm '{algorithm}' is not supported; sha256 and sha512 are.", algorithm),
        };

        /// <summary>UnsupportedAlgorithm for a well-formed digest whose algorithm cannot be computed (md5:..., or any other name).</summary>
        public static void RequireSupported(Digest digest, string? location)
        {
            if (!digest.IsSupported)
                throw new ImageToolsException(ErrorId.UnsupportedAlgorithm,
                    $"Digest {digest} uses algorithm '{digest.Algorithm}', which is not supported; sha256 and sha512 are. Its content cannot be verified, so it is not read.",
                    digest.ToString(), location);
        }

        public static Digest Compute(string algorithm, byte[] data)
        {
            using var h = Create(algorithm);
            h.AppendData(data);
            return Digest.FromBytes(algorithm, h.GetHashAndReset());
        }

        public static Digest Sha256Of(string text) => Compute(Digest.Sha256, System.Text.Encoding.UTF8.GetBytes(text));
    }
}
