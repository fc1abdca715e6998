using System.Collections.Generic;

namespace ImageTools.Stores.Docker
{
    /// <summary>
    /// A string-keyed table that is also looked up by a stretch of a longer string (a short name inside an overlay2
    /// lower file) without cutting that stretch out: a listing resolves tens of thousands of them.
    /// </summary>
    internal sealed class TextKeyTable<TValue>
    {
        private readonly Dictionary<int, List<KeyValuePair<string, TValue>>> _buckets = new Dictionary<int, List<KeyValuePair<string, TValue>>>();

        /// <summary>Adds or replaces <paramref name="key"/>.</summary>
        public void Set(string key, TValue value)
        {
            int hash = Hash(key, 0, key.Length);
            if (!_buckets.TryGetValue(hash, out var bucket)) _buckets[hash] = bucket = new List<KeyValuePair<string, TValue>>(1);
            for (int i = 0; i < bucket.Count; i++)
                if (bucket[i].Key == key) { bucket[i] = new KeyValuePair<string, TValue>(key, value); return; }
            bucket.Add(new KeyValuePair<string, TValue>(key, value));
        }

        /// <summary>The value of the key equal to <paramref name="length"/> characters of <paramref name="text"/> from <paramref name="start"/>.</summary>
        public bool TryGet(string text, int start, int length, out TValue value)
        {
            if (_buckets.TryGetValue(Hash(text, start, length), out var bucket))
                foreach (var entry in bucket)
                    if (entry.Key.Length == length && string.CompareOrdinal(entry.Key, 0, text, start, length) == 0)
                    {
                        value = entry.Value;
                        return true;
                    }
            value = default!;
            return false;
        }

        /// <summary><see cref="TryGet(string, int, int, out TValue)"/> over ASCII bytes (each byte one character).</summary>
        public bool TryGet(byte[] ascii, int start, int length, out TValue value)
        {
            if (_buckets.TryGetValue(Hash(ascii, start, length), out var bucket))
                foreach (var entry in bucket)
                    if (entry.Key.Length == length && EqualsAscii(entry.Key, ascii, start))
                    {
                        value = entry.Value;
                        return true;
                    }
            value = default!;
            return false;
        }

        private static bool EqualsAscii(string key, byte[] ascii, int start)
        {
            for (int i = 0; i < key.Length; i++) if (key[i] != ascii[start + i]) return false;
            return true;
        }

        private static int Hash(byte[] ascii, int start, int length)
        {
            unchecked
            {
                uint h = 2166136261; // the same hash as of the string: an ASCII byte is its UTF-16 code unit
                for (int i = start; i < start + length; i++) h = (h ^ ascii[i]) * 16777619;
                return (int)h;
            }
        }

        private static int Hash(string text, int start, int length)
        {
            unchecked
            {
                uint h = 2166136261; // FNV-1a over the UTF-16 code units
                for (int i = start; i < start + length; i++) h = (h ^ text[i]) * 16777619;
                return (int)h;
            }
        }
    }
}
