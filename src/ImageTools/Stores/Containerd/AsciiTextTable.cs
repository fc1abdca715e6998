using System;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;

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
        // started from a per-process value, so that the slots texts take cannot be chosen in advance
        private static readonly ulong Seed = (ulong)new Random().Next() * 0x9E3779B97F4A7C15UL;
        private TextEntry?[] _slots = new TextEntry?[256];
        private int _count;

        internal int Count => _count;

        // Eight bytes at a time (a digest's text is 71): a byte at a time was most of a lookup. A text and its ASCII
        // bytes hash alike, little-endian words of eight characters.
        internal static uint Hash(ReadOnlySpan<byte> text)
        {
            ulong h = Seed ^ (ulong)text.Length;
            int i = 0;
            for (; i + 8 <= text.Length; i += 8) h = Mix(h, BinaryPrimitives.ReadUInt64LittleEndian(text.Slice(i)));
            ulong tail = 0;
            for (int shift = 0; i < text.Length; i++, shift += 8) tail |= (ulong)text[i] << shift;
            return Finish(Mix(h, tail));
        }

        /// <summary>The hash of an ASCII text (as of its bytes); false for a text with other characters.</summary>
        internal static bool TryHash(string text, out uint hash)
        {
            ulong h = Seed ^ (ulong)text.Length;
            ulong word = 0;
            int shift = 0;
            foreach (char c in text)
            {
                if (c >= 0x80) { hash = 0; return false; }
                word |= (ulong)c << shift;
                shift += 8;
                if (shift == 64)
                {
                    h = Mix(h, word);
                    word = 0;
                    shift = 0;
                }
            }
            hash = Finish(Mix(h, word));
            return true;
        }

        private static ulong Mix(ulong h, ulong word)
        {
            h = (h ^ word) * 0x9E3779B97F4A7C15UL;
            return h ^ (h >> 29);
        }

        private static uint Finish(ulong h)
        {
            h *= 0xBF58476D1CE4E5B9UL;
            return (uint)(h ^ (h >> 32));
        }

        internal static bool IsAscii(ReadOnlySpan<byte> text)
        {
            foreach (byte b in text) if (b >= 0x80) return false;
            return true;
        }

        internal TextEntry? Find(ReadOnlySpan<byte> text) => Find(text, Hash(text));

        [MethodImpl(HotPath.Optimized)]
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
