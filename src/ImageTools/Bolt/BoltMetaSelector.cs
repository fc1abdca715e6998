using System;
using System.Linq;

namespace ImageTools.Bolt
{
    /// <summary>
    /// Finds the page size and chooses the meta page to read, as bbolt does: the page size comes from meta page 0,
    /// or from meta page 1 found at one of the common page sizes when page 0 is damaged; of the valid meta pages the
    /// one with the highest txid wins (etcd-io/bbolt db.go getPageSize, meta).
    /// </summary>
    internal static class BoltMetaSelector
    {
        private static readonly uint[] CommonPageSizes = { 4096, 8192, 16384, 32768, 65536, 1024, 2048, 512, 131072, 262144, 524288, 1048576 };

        internal static (BoltMeta Chosen, BoltMeta Meta0, BoltMeta Meta1) Select(ReadOnlyMemory<byte> data, string source)
        {
            if (data.Length < BoltMeta.HeaderSize + BoltMeta.Size)
                throw new BoltFormatException(source, data.Length == 0 ? BoltErrorKind.NotBoltFile : BoltErrorKind.Truncated,
                    $"the file is {data.Length} bytes, too short to hold a bbolt meta page");

            var meta0 = BoltMeta.Read(data.Span, 0, 0);
            BoltMeta? meta1 = null;
            if (meta0.IsValid)
            {
                meta1 = BoltMeta.Read(data.Span, meta0.PageSize, 1);
            }
            else
            {
                foreach (uint size in CommonPageSizes)
                {
                    var candidate = BoltMeta.Read(data.Span, size, 1);
                    if (candidate.IsValid && candidate.PageSize == size) { meta1 = candidate; break; }
                }
                if (meta1 == null)
                {
                    uint guess = meta0.MagicValue == BoltMeta.Magic && BoltMeta.IsPlausiblePageSize(meta0.PageSize) ? meta0.PageSize : 4096;
                    meta1 = BoltMeta.Read(data.Span, guess, 1);
                    // Look for any page-1 candidate that at least has the magic, to tell "not bbolt" from "damaged".
                    bool anyMagic = meta0.MagicValue == BoltMeta.Magic || meta1.MagicValue == BoltMeta.Magic ||
                        CommonPageSizes.Any(s => BoltMeta.Read(data.Span, s, 1).MagicValue == BoltMeta.Magic);
                    if (!anyMagic)
                        throw new BoltFormatException(source, BoltErrorKind.NotBoltFile,
                            $"not a bbolt database: bad magic in both meta pages ({meta0.Problem}; {meta1.Problem})", 0);
                    if (meta0.MagicValue == BoltMeta.Magic && meta0.Version != BoltMeta.FormatVersion &&
                        (meta1.MagicValue != BoltMeta.Magic || meta1.Version != BoltMeta.FormatVersion))
                        throw new BoltFormatException(source, BoltErrorKind.UnsupportedVersion,
                            $"unsupported bbolt format version {meta0.Version} (this reader knows version {BoltMeta.FormatVersion})", 0);
                    throw new BoltFormatException(source, BoltErrorKind.InvalidMeta,
                        $"both meta pages are invalid ({meta0.Problem}; {meta1.Problem})", 0);
                }
            }

            BoltMeta chosen;
            if (meta0.IsValid && meta1.IsValid) chosen = meta1.TxId > meta0.TxId ? meta1 : meta0;
            else if (meta0.IsValid) chosen = meta0;
            else if (meta1.IsValid) chosen = meta1;
            else throw new BoltFormatException(source, BoltErrorKind.InvalidMeta,
                $"both meta pages are invalid ({meta0.Problem}; {meta1.Problem})", 0);

            if (meta0.IsValid && meta1.IsValid && meta0.PageSize != meta1.PageSize)
                throw new BoltFormatException(source, BoltErrorKind.InvalidMeta,
                    $"the meta pages disagree on the page size ({meta0.PageSize} and {meta1.PageSize})", 1);

            ulong needed = chosen.HighWaterPageId * (ulong)chosen.PageSize;
            if (chosen.HighWaterPageId > (ulong)long.MaxValue / chosen.PageSize || (ulong)data.Length < needed)
                throw new BoltFormatException(source, BoltErrorKind.Truncated,
                    $"the file is truncated: it is {data.Length} bytes, but meta page {chosen.Index} (txid {chosen.TxId}) " +
                    $"says the database has {chosen.HighWaterPageId} pages of {chosen.PageSize} bytes ({needed} bytes)", chosen.HighWaterPageId);
            return (chosen, meta0, meta1);
        }
    }
}
