using System;

namespace ImageTools.Bolt
{
    /// <summary>A key and its value in a bucket (entries that are not nested buckets). Both are slices of the in-memory file.</summary>
    public sealed class BoltPair
    {
        internal BoltPair(ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> value)
        {
            Key = key;
            Value = value;
        }

        /// <summary>The raw key bytes.</summary>
        public ReadOnlyMemory<byte> Key { get; }

        /// <summary>The raw value bytes.</summary>
        public ReadOnlyMemory<byte> Value { get; }

        /// <summary>The key decoded as UTF-8 (invalid sequences become U+FFFD).</summary>
        public string KeyString => BoltBytes.ToText(Key);

        /// <summary>The value decoded as UTF-8 (invalid sequences become U+FFFD).</summary>
        public string ValueString => BoltBytes.ToText(Value);

        public override string ToString() => BoltBytes.Describe(Key) + " = " + BoltBytes.Describe(Value);
    }
}
