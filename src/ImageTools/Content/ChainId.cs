using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;
using ImageTools.Oci;

namespace ImageTools.Content
{
    /// <summary>
    /// ChainIDs (image-spec config.md#layer-chainid): ChainID(L0) = DiffID(L0);
    /// ChainID(L0..Ln) = sha256("ChainID(L0..Ln-1) DiffID(Ln)").
    /// </summary>
    public static class ChainId
    {
        public static IReadOnlyList<Digest> Compute(IReadOnlyList<Digest> diffIds)
        {
            var chain = new List<Digest>(diffIds.Count);
            Digest? previous = null;
            IncrementalHash? sha256 = null; // one hash for the whole chain: creating one costs more than hashing 140 bytes
            byte[]? text = null; // "<previous> <diffId>" as UTF-8, in one buffer for the whole chain (thousands of layers per data root)
            try
            {
                foreach (var diffId in diffIds)
                {
                    if (previous != null)
                    {
                        sha256 ??= DigestAlgorithms.Create(Digest.Sha256);
                        string a = previous.ToString(), b = diffId.ToString();
                        int max = Encoding.UTF8.GetMaxByteCount(a.Length + 1 + b.Length);
                        if (text == null || text.Length < max) text = new byte[max];
                        int n = Encoding.UTF8.GetBytes(a, 0, a.Length, text, 0);
                        text[n++] = (byte)' ';
                        n += Encoding.UTF8.GetBytes(b, 0, b.Length, text, n);
                        sha256.AppendData(text, 0, n);
                        previous = Digest.FromBytes(Digest.Sha256, sha256.GetHashAndReset());
                    }
                    else previous = diffId;
                    chain.Add(previous);
                }
            }
            finally { sha256?.Dispose(); }
            return chain;
        }
    }
}
