namespace ImageTools.Bolt
{
    /// <summary>What a walk of the whole database (BoltDatabase.Check) met: useful for diagnostics and for tests that need particular page shapes.</summary>
    public sealed class BoltDatabaseStats
    {
        /// <summary>Buckets, counting the root bucket.</summary>
        public int Buckets { get; internal set; }

        /// <summary>Buckets stored inline in their parent's leaf (bucket root 0).</summary>
        public int InlineBuckets { get; internal set; }

        /// <summary>Key/value pairs that are not buckets.</summary>
        public long Pairs { get; internal set; }

        public int BranchPages { get; internal set; }
        public int LeafPages { get; internal set; }

        /// <summary>Pages that continue a branch or leaf page (the sum of their overflow counts).</summary>
        public long OverflowPages { get; internal set; }

        /// <summary>Levels of the deepest bucket tree (1 = the root page is a leaf).</summary>
        public int MaxTreeDepth { get; internal set; }

        public override string ToString() =>
            $"{Buckets} buckets ({InlineBuckets} inline), {Pairs} pairs, {BranchPages} branch, {LeafPages} leaf, " +
            $"{OverflowPages} overflow pages, depth {MaxTreeDepth}";
    }
}
