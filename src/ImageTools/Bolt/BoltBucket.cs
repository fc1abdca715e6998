using System;
using System.Collections.Generic;

namespace ImageTools.Bolt
{
    /// <summary>
    /// A bucket of a bbolt database: key/value pairs and nested buckets, both in key order (bytewise). Everything is
    /// read when the database is opened; looking things up here never touches the file.
    /// </summary>
    public sealed class BoltBucket
    {
        private readonly List<BoltPair> _pairs;
        private readonly List<BoltBucket> _buckets;

        internal BoltBucket(ReadOnlyMemory<byte> name, string path, ulong sequence, ulong rootPageId,
            List<BoltPair> pairs, List<BoltBucket> buckets)
        {
            Name = name;
            Path = path;
            Sequence = sequence;
            RootPageId = rootPageId;
            _pairs = pairs;
            _buckets = buckets;
        }

        /// <summary>The bucket's key in its parent (empty for the root bucket).</summary>
        public ReadOnlyMemory<byte> Name { get; }

        /// <summary>The name decoded as UTF-8.</summary>
        public string NameString => BoltBytes.ToText(Name);

        /// <summary>The names from the root, joined by '/', for messages (non-printable names shown as hex).</summary>
        public string Path { get; }

        /// <summary>The bucket's sequence counter (bbolt NextSequence/SetSequence).</summary>
        public ulong Sequence { get; }

        /// <summary>The page of the bucket's tree root, or 0 for a bucket stored inline in its parent's leaf.</summary>
        public ulong RootPageId { get; }

        public bool IsInline => RootPageId == 0;

        /// <summary>The nested buckets, in key order.</summary>
        public IReadOnlyList<BoltBucket> Buckets => _buckets;

        /// <summary>The key/value pairs that are not buckets, in key order.</summary>
        public IReadOnlyList<BoltPair> Pairs => _pairs;

        /// <summary>The nested bucket with this name, or null.</summary>
        public BoltBucket? GetBucket(ReadOnlySpan<byte> name)
        {
            int i = Find(_buckets, b => b.Name, name);
            return i < 0 ? null : _buckets[i];
        }

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
        public ReadOnlyMemory<byte>? GetMemory(ReadOnlySpan<byte> key)
        {
            int i = Find(_pairs, p => p.Key, key);
            return i < 0 ? (ReadOnlyMemory<byte>?)null : _pairs[i].Value;
        }

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
            for (int i = _buckets.Count - 1; i >= 0; i--) stack.Push(_buckets[i]);
            while (stack.Count > 0)
            {
                var bucket = stack.Pop();
                yield return bucket;
                for (int i = bucket._buckets.Count - 1; i >= 0; i--) stack.Push(bucket._buckets[i]);
            }
        }

        private static int Find<T>(List<T> items, Func<T, ReadOnlyMemory<byte>> keyOf, ReadOnlySpan<byte> key)
        {
            int lo = 0, hi = items.Count - 1;
            while (lo <= hi)
            {
                int mid = lo + (hi - lo) / 2;
                int c = BoltBytes.Compare(keyOf(items[mid]).Span, key);
                if (c == 0) return mid;
                if (c < 0) lo = mid + 1; else hi = mid - 1;
            }
            return -1;
        }

        public override string ToString() => $"{(Path.Length == 0 ? "(root)" : Path)}: {_buckets.Count} buckets, {_pairs.Count} pairs";
    }
}
