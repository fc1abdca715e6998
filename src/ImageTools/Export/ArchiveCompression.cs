namespace ImageTools.Export
{
    /// <summary>How Save-Image compresses the whole archive it writes, as <c>docker save | gzip</c> would.</summary>
    public enum ArchiveCompression { None, Gzip, Zstd }

    public static class ArchiveCompressions
    {
        /// <summary>What a destination's name asks for when -ArchiveCompression is not given: .gz/.tgz gzip, .zst/.tzst zstd.</summary>
        public static ArchiveCompression FromFileName(string path)
        {
            string name = path.ToLowerInvariant();
            if (name.EndsWith(".gz") || name.EndsWith(".tgz")) return ArchiveCompression.Gzip;
            if (name.EndsWith(".zst") || name.EndsWith(".tzst")) return ArchiveCompression.Zstd;
            return ArchiveCompression.None;
        }
    }
}
