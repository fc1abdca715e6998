using System;
using System.Collections.Generic;

namespace ImageTools.Bolt
{
    /// <summary>
    /// A bucket of a bbolt database: key/value pairs and nested buckets, both in key order (bytewise). Nothing is
    /// decoded before it is asked for: <see cref="Get(string)"/> and <see cref="GetBucket(string)"/> search down the
    /// bucket's tree, <see cref="Entries"/> walks its leaves in key order, and <see cref="Buckets"/> and
    /// <see cref="Pairs"/> are built from that walk on first use. Keys and values are slices of the in-memory file.
    /// </summary>
    /// <exception cref="BoltFormatException">From any member that reaches a damaged page.</exception>
    public sealed class BoltBucket
    {
        private readonly BoltTree _tree;
        private readonly BoltBucket? _parent;
        private string? _path;
        private List<BoltPair>? _pairs;
        private List<BoltBucket>? _buckets;

        internal BoltBucket(BoltTree tree, BoltBucket? parent, ReadOnlyMemory<byte> name, ulong sequence, ulong rootPageId,
            int inlineStart, int inlineEnd, BoltAncestry? ancestry)
        {
            _tree = tree;
            _parent = parent;
            Name = name;
            Sequence = sequence;
            RootPageId = rootPageId;
            InlineStart = inlineStart;
            InlineEnd = inlineEnd;
            Ancestry = ancestry;
            Nesting = parent == null ? 0 : parent.Nesting + 1;
            if (parent == null) _path = "";
        }

        /// <summary>The bucket's key in its parent (empty for the root bucket).</summary>
        public ReadOnlyMemory<byte> Name { get; }

        /// <summary>The name decoded as UTF-8.</summary>
        public string NameString => BoltBytes.ToText(Name);

        /// <summary>The names from the root, joined by '/', for messages (non-printable names shown as hex).</summary>
        public string Path => _path ??= ChildPath(_parent!, Name);

        /// <summary>The bucket's sequence counter (bbolt NextSequence/SetSequence).</summary>
        public ulong Sequence { get; }

        /// <summary>The page of the bucket's tree root, or 0 for a bucket stored inline in its parent's leaf.</summary>
        public ulong RootPageId { get; }

        public bool IsInline => RootPageId == 0;

        internal BoltTree Tree => _tree;
        internal bool IsRoot => _parent == null;
        internal int InlineStart { get; }
        internal int InlineEnd { get; }
        internal BoltAncestry? Ancestry { get; }
        internal int Nesting { get; }
        internal string ShowPath => BoltTree.Show(Path);

        internal static string ChildPath(BoltBucket parent, ReadOnlyMemory<byte> name) =>
            parent.Path.Length == 0 ? BoltBytes.Describe(name) : parent.Path + "/" + BoltBytes.Describe(name);

        /// <summary>The nested buckets, in key order (read on first use, then kept).</summary>
        public IReadOnlyList<BoltBucket> Buckets
        {
            get
            {
                if (_buckets == null) _buckets = new List<BoltBucket>(EnumerateBuckets());
                return _buckets;
            }
        }

        /// <summary>The key/value pairs that are not buckets, in key order (read on first use, then kept).</summary>
        public IReadOnlyList<BoltPair> Pairs
        {
            get
            {
                if (_pairs == null) _pairs = new List<BoltPair>(EnumeratePairs());
                return _pairs;
            }
        }

        /// <summary>Every entry (pairs and nested buckets) in key order, read as the walk goes; nothing is kept.</summary>
        public IEnumerable<BoltEntry> Entries()
        {
            foreach (var e in Cursor()) yield return e;
        }

        /// <summary>The entries in key order, as <see cref="Entries"/>, through a cursor that allocates nothing for a one-page tree (use with foreach).</summary>
        internal BoltCursor Cursor() => new BoltCursor(this);

        /// <summary>The nested buckets in key order, read as the walk goes; nothing is kept.</summary>
        public IEnumerable<BoltBucket> EnumerateBuckets()
        {
            foreach (var e in Cursor())
                if (e.IsBucket) yield return e.OpenBucket()!;
        }

        /// <summary>The pairs that are not buckets in key order, read as the walk goes; nothing is kept.</summary>
        public IEnumerable<BoltPair> EnumeratePairs()
        {
            foreach (var e in Cursor())
                if (!e.IsBucket) yield return new BoltPair(e.Key, e.Value);
        }

        /// <summary>How many nested buckets there are (a walk, without building them).</summary>
        public int CountBuckets()
        {
            if (_buckets != null) return _buckets.Count;
            int n = 0;
            foreach (var e in Cursor()) if (e.IsBucket) n++;
            return n;
        }

        /// <summary>The nested bucket with this name, or null.</summary>
        public BoltBucket? GetBucket(ReadOnlySpan<byte> name) =>
            _tree.Seek(this, name, out var e) && e.IsBucket ? _tree.OpenChild(this, e) : null;

        public BoltBucket? GetBucket(byte[] name) => GetBucket(new ReadOnlySpan<byte>(name ?? throw new ArgumentNullException(nameof(name))));

        /// <summary>The nested bucket whose name is the UTF-8 encoding of <paramref name="name"/>, or null.</summary>
        public BoltBucket? GetBucket(string name) => GetBucket(BoltBytes.Utf8(name));

        /// <summary>Follows a path of nested buckets; null as soon as one is missing.</summary>
        public BoltBucket? GetBucketPath(params string[] names)
        {
            BoltBucket? bucket = this;
            foreach (var name in names)
            {
                bucket = bucket.GetBucket(name);
                if (bucket == null) return null;
            }
            return bucket;
        }

        /// <summary>The value of <paramref name="key"/> as a slice of the in-memory file; null when absent or when the key is a bucket.</summary>
        public ReadOnlyMemory<byte>? GetMemory(ReadOnlySpan<byte> key) =>
            _tree.Seek(this, key, out var e) && !e.IsBucket ? _tree.Data.Slice(e.ValueStart, e.ValueLength) : (ReadOnlyMemory<byte>?)null;

        /// <summary>A copy of the value of <paramref name="key"/>; null when absent or when the key is a bucket.</summary>
        public byte[]? Get(ReadOnlySpan<byte> key) => GetMemory(key)?.ToArray();

        public byte[]? Get(byte[] key) => Get(new ReadOnlySpan<byte>(key ?? throw new ArgumentNullException(nameof(key))));

        /// <summary>A copy of the value of the key whose UTF-8 encoding is <paramref name="key"/>; null when absent or a bucket.</summary>
        public byte[]? Get(string key) => Get(BoltBytes.Utf8(key));

        /// <summary>The value of a UTF-8 key decoded as UTF-8; null when absent or a bucket.</summary>
        public string? GetString(string key)
        {
            var value = GetMemory(BoltBytes.Utf8(key));
            return value.HasValue ? BoltBytes.ToText(value.Value) : null;
        }

        /// <summary>Every bucket below this one, depth first in key order (not including this bucket).</summary>
        public IEnumerable<BoltBucket> Descendants()
        {
            var stack = new Stack<BoltBucket>();
            var buckets = Buckets;
            for (int i = buckets.Count - 1; i >= 0; i--) stack.Push(buckets[i]);
            while (stack.Count > 0)
            {
                var bucket = stack.Pop();
                yield return bucket;
                var children = bucket.Buckets;
                for (int i = children.Count - 1; i >= 0; i--) stack.Push(children[i]);
            }
        }

        public override string ToString() => IsInline ? $"{ShowPath}: inline bucket" : $"{ShowPath}: bucket at page {RootPageId}";
    }

    /// <summary>One entry of a bucket met by <see cref="BoltBucket.Entries"/>: a key with either a value or a nested bucket.</summary>
    public readonly struct BoltEntry
    {
        private readonly BoltBucket _bucket;
        private readonly BoltLeafElement _element;

        internal BoltEntry(BoltBucket bucket, BoltLeafElement element)
        {
            _bucket = bucket;
            _element = element;
            Key = bucket.Tree.Data.Slice(element.KeyStart, element.KeyLength);
        }

        /// <summary>The raw key bytes.</summary>
        public ReadOnlyMemory<byte> Key { get; }

        /// <summary>True when the entry is a nested bucket (open it with <see cref="OpenBucket"/>).</summary>
        public bool IsBucket => _element.IsBucket;

        /// <summary>The raw value bytes of a pair (for a bucket: its header and inline page).</summary>
        public ReadOnlyMemory<byte> Value => _bucket.Tree.Data.Slice(_element.ValueStart, _element.ValueLength);

        /// <summary>The nested bucket of this entry, or null when it is a pair.</summary>
        public BoltBucket? OpenBucket() => IsBucket ? _bucket.Tree.OpenChild(_bucket, _element) : null;

        /// <summary>
        /// True for a nested bucket kept inline whose page holds pairs only, told from its bytes without opening it. bbolt
        /// keeps a bucket inline only when it has no nested bucket; false when unsure (open it to know).
        /// </summary>
        internal bool IsInlineWithoutBuckets() => IsBucket && _bucket.Tree.IsInlineWithoutBuckets(_element);

        /// <summary>The key decoded as UTF-8.</summary>
        public string KeyString => BoltBytes.ToText(Key);

        /// <summary>True when the key is exactly these bytes.</summary>
        public bool KeyEquals(ReadOnlySpan<byte> key)
        {
            bool equal = Key.Span.SequenceEqual(key);
            GC.KeepAlive(_bucket); // the bucket keeps a mapped file mapped while its bytes are compared
            return equal;
        }
    }
}
