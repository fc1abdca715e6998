using System.Collections.Generic;
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
            foreach (var diffId in diffIds)
            {
                previous = previous == null ? diffId : DigestAlgorithms.Sha256Of(previous + " " + diffId);
                chain.Add(previous);
            }
            return chain;
        }
    }
}
