using System;

namespace ImageTools.Bolt
{
    /// <summary>
    /// Raised when a bbolt database file is damaged or is not a bbolt file. The message names the file and what is
    /// wrong with it (which page, which bucket).
    /// </summary>
    public sealed class BoltFormatException : FormatException
    {
        public BoltFormatException(string sourceName, BoltErrorKind kind, string problem, ulong? pageId = null)
            : base(sourceName + ": " + problem)
        {
            SourceName = sourceName;
            Kind = kind;
            Problem = problem;
            PageId = pageId;
        }

        /// <summary>The file (or the name given to <see cref="BoltDatabase.FromBytes"/>) that was being read.</summary>
        public string SourceName { get; }

        /// <summary>The category of damage.</summary>
        public BoltErrorKind Kind { get; }

        /// <summary>The message without the file name.</summary>
        public string Problem { get; }

        /// <summary>The page where the damage was seen, when there is one.</summary>
        public ulong? PageId { get; }

        /// <summary>
        /// True when the damage may come from reading the file while a live writer (containerd, dockerd) was
        /// committing a transaction, so that reading it again may succeed.
        /// </summary>
        public bool MayBeTransient =>
            Kind != BoltErrorKind.NotBoltFile && Kind != BoltErrorKind.UnsupportedVersion && Kind != BoltErrorKind.Truncated;
    }
}
