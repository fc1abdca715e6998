using System;
using System.Collections.Generic;
using ImageTools.Bolt;

namespace ImageTools.Stores.Containerd
{
    /// <summary>
    /// Decoders for the values containerd keeps in its bbolt buckets (core/metadata/buckets.go, helpers.go): times are
    /// Go time.MarshalBinary, sizes are zig-zag varints (binary.PutVarint), labels and annotations are sub-buckets of
    /// string pairs. A value that does not decode is reported through <c>problem</c> and read as absent.
    /// </summary>
    internal static class ContainerdEncoding
    {
        public static readonly byte[] CreatedAt = BoltBytes.Utf8("createdat");
        public static readonly byte[] UpdatedAt = BoltBytes.Utf8("updatedat");
        public static readonly byte[] Size = BoltBytes.Utf8("size");

        /// <summary>A time value of the bucket, or null (absent or undecodable; the latter is reported).</summary>
        public static DateTimeOffset? Time(BoltBucket bucket, byte[] key, Action<string> problem) => Time(bucket, key, bucket.GetMemory(key), problem);

        /// <summary>A time value already found in the bucket (<paramref name="raw"/> null when absent).</summary>
        public static DateTimeOffset? Time(BoltBucket bucket, byte[] key, ReadOnlyMemory<byte>? raw, Action<string> problem)
        {
            if (raw == null) return null;
            if (GoEncoding.TryReadTime(raw.Value.Span, out var t)) return t;
            problem($"{bucket.Path}/{BoltBytes.Describe(key)} is not a Go binary time ({raw.Value.Length} bytes)");
            return null;
        }

        /// <summary>A zig-zag varint of the bucket, or null.</summary>
        public static long? Varint(BoltBucket bucket, byte[] key, Action<string> problem) => Varint(bucket, key, bucket.GetMemory(key), problem);

        /// <summary>A zig-zag varint already found in the bucket (<paramref name="raw"/> null when absent).</summary>
        public static long? Varint(BoltBucket bucket, byte[] key, ReadOnlyMemory<byte>? raw, Action<string> problem)
        {
            if (raw == null) return null;
            if (GoEncoding.TryReadVarint(raw.Value.Span, out long v, out int n) && n == raw.Value.Length) return v;
            problem($"{bucket.Path}/{BoltBytes.Describe(key)} is not a varint");
            return null;
        }

        /// <summary>An unsigned varint of the bucket, or null.</summary>
        public static ulong? Uvarint(BoltBucket bucket, byte[] key, Action<string> problem)
        {
            var raw = bucket.GetMemory(key);
            if (raw == null) return null;
            if (GoEncoding.TryReadUvarint(raw.Value.Span, out ulong v, out int n) && n == raw.Value.Length) return v;
            problem($"{bucket.Path}/{BoltBytes.Describe(key)} is not an unsigned varint");
            return null;
        }

        /// <summary>A string value, or null (absent, or not UTF-8: the latter is reported).</summary>
        public static string? Text(BoltBucket bucket, byte[] key, Action<string> problem)
        {
            var raw = bucket.GetMemory(key);
            if (raw == null) return null;
            if (BoltBytes.TryToText(raw.Value, out var text)) return text;
            problem($"{bucket.Path}/{BoltBytes.Describe(key)} is not UTF-8 text ({BoltBytes.Describe(raw.Value)})");
            return null;
        }

        /// <summary>
        /// A record's key as text (an image name, a container, lease, sandbox or snapshot key, a namespace); null after
        /// reporting one that is not UTF-8 (containerd writes only UTF-8 names: such a key is damage, and the record is skipped).
        /// </summary>
        public static string? Name(BoltBucket record, Action<string> problem)
        {
            if (BoltBytes.TryToText(record.Name, out var text)) return text;
            problem($"the key of {record.Path} is not UTF-8 text; the record is skipped");
            return null;
        }

        /// <summary>The key of a pair as text; null after reporting one that is not UTF-8.</summary>
        public static string? Key(BoltBucket bucket, BoltPair pair, Action<string> problem)
        {
            if (BoltBytes.TryToText(pair.Key, out var text)) return text;
            problem($"a key of {bucket.Path} ({BoltBytes.Describe(pair.Key)}) is not UTF-8 text; it is skipped");
            return null;
        }

        /// <summary>The pairs of a sub-bucket (labels, annotations) in key order; empty when the bucket is absent.</summary>
        public static LabelSet Pairs(BoltBucket? parent, byte[] name, Action<string> problem)
        {
            var bucket = parent?.GetBucket(name);
            return bucket == null ? new LabelSet() : Pairs(bucket, problem);
        }

        /// <summary>The pairs of a labels or annotations bucket in key order; a pair that is not UTF-8 text is reported and left out.</summary>
        public static LabelSet Pairs(BoltBucket bucket, Action<string> problem)
        {
            var result = new LabelSet();
            foreach (var pair in bucket.EnumeratePairs())
            {
                if (BoltBytes.TryToText(pair.Key, out var key) && BoltBytes.TryToText(pair.Value, out var value)) result[key] = value;
                else problem($"the pair {BoltBytes.Describe(pair.Key)} of {bucket.Path} is not UTF-8 text; it is left out");
            }
            return result;
        }
    }
}
