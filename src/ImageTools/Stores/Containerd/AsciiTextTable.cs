using System;

namespace ImageTools.Stores.Containerd
{
    /// <summary>A text kept once by <see cref="AsciiTextTable"/>, with what its owner records about it.</summary>
    internal class TextEntry
    {
        internal TextEntry(string text, uint hash)
        {
            Text = text;
            Hash = hash;
        }

        internal string Text { get; }
        internal uint Hash { get; }
    }

    /// <summary>
    /// ASCII texts found by their bytes, without decoding them first (open addressing): the digests that labels name
    /// and the label keys repeat from record to record of a namespace, and a listing used to make a new string of each
    /// occurrence only to look it up. Only ASCII is kept: a text with other characters is never found.
    /// </summary>
    internal sealed class AsciiTextTable
    {
        // FNV-1a, started from a per-process value so that the slots texts take cannot be chosen in advance
        private static readonly uint Basis = 2166136261u ^ (uint)new Random().Next();
        private TextEntry?[] _slots = new TextEntry?[256];
        private int _count;

        internal int Count => _count;

        internal static uint Hash(ReadOnlySpan<byte> text)
        {
            uint h = Basis;
            foreach (byte b in text) h = (h ^ b) * 16777619u;
            return Finish(h);
        }

        /// <summary>The hash of an ASCII text (as of its bytes); false for a text with other characters.</summary>
        internal static bool TryHash(string text, out uint hash)
        {
            uint h = Basis;
            foreach (char c in text)
            {
                if (c >= 0x80) { hash = 0; return false; }
                h = (h ^ c) * 16777619u;
            }
            hash = Finish(h);
            return true;
        }

        // FNV's low bits mix poorly; the slot is taken from the low bits
        private static uint Finish(uint h)
        {
            h ^= h >> 16;
            h *= 0x85ebca6bu;
            h ^= h >> 13;
            return h;
        }

        internal static bool IsAscii(ReadOnlySpan<byte> text)
        {
            foreach (byte b in text) if (b >= 0x80) return false;
            return true;
        }

        internal TextEntry? Find(ReadOnlySpan<byte> text) => Find(text, Hash(text));

        internal TextEntry? Find(ReadOnlySpan<byte> text, uint hash)
        {
            var slots = _slots;
            int mask = slots.Length - 1;
            for (int i = (int)hash & mask; ; i = (i + 1) & mask)
            {
                var e = slots[i];
                if (e == null) return null;
                if (e.Hash == hash && SameText(e.Text, text)) return e;
            }
        }

        internal TextEntry? Find(string text)
        {
            if (!TryHash(text, out uint hash)) return null;
            var slots = _slots;
            int mask = slots.Length - 1;
            for (int i = (int)hash & mask; ; i = (i + 1) & mask)
            {
                var e = slots[i];
                if (e == null) return null;
                if (e.Hash == hash && string.Equals(e.Text, text, StringComparison.Ordinal)) return e;
            }
        }

        /// <summary>Adds an entry whose text (ASCII, hashed with <see cref="Hash(ReadOnlySpan{byte})"/>) is not in the table yet.</summary>
        internal void Add(TextEntry entry)
        {
            if ((_count + 1) * 4 > _slots.Length * 3) Grow();
            Insert(_slots, entry);
            _count++;
        }

        internal void Clear()
        {
            Array.Clear(_slots, 0, _slots.Length);
            _count = 0;
        }

        private static void Insert(TextEntry?[] slots, TextEntry entry)
        {
            int mask = slots.Length - 1;
            int i = (int)entry.Hash & mask;
            while (slots[i] != null) i = (i + 1) & mask;
            slots[i] = entry;
        }

        private void Grow()
        {
            var bigger = new TextEntry?[_slots.Length * 2];
            foreach (var e in _slots) if (e != null) Insert(bigger, e);
            _slots = bigger;
        }

        private static bool SameText(string text, ReadOnlySpan<byte> bytes)
        {
            if (text.Length != bytes.Length) return false;
            for (int i = 0; i < bytes.Length; i++) if (text[i] != bytes[i]) return false;
            return true;
        }
    }
}
