namespace ImageTools.Bolt
{
    /// <summary>What is wrong with a bbolt file, as reported by <see cref="BoltFormatException.Kind"/>.</summary>
    public enum BoltErrorKind
    {
        /// <summary>Neither meta page carries the bbolt magic 0xED0CDAED: not a bbolt file.</summary>
        NotBoltFile,

        /// <summary>The meta pages carry a format version other than 2.</summary>
        UnsupportedVersion,

        /// <summary>Both meta pages fail validation (checksum, page flags, implausible fields).</summary>
        InvalidMeta,

        /// <summary>The file is shorter than its meta page says it is.</summary>
        Truncated,

        /// <summary>A page id is at or above the high-water mark, or its pages run past the end of the file.</summary>
        PageOutOfRange,

        /// <summary>A page has the wrong type for where it is reached (for example a meta or freelist page inside a bucket tree).</summary>
        WrongPageType,

        /// <summary>A page is reached a second time (a cycle in the page graph, or a page shared by two places).</summary>
        Cycle,

        /// <summary>A page's header or elements are inconsistent (elements outside the page, keys out of order...).</summary>
        CorruptPage,

        /// <summary>Trees or nested buckets are deeper than any real database would be.</summary>
        TooDeep,
    }
}
