namespace ImageTools.Bolt
{
    /// <summary>
    /// A set of page ids (open addressing): the pages a walk has reached. A class of this assembly, so that its code is
    /// in the precompiled image: a HashSet of ulong was compiled in each new session, in its first listing.
    /// </summary>
    internal sealed class BoltPageSet
    {
        // page 0 is a meta page and never reached by a walk: it marks a free slot
        private ulong[] _slots = new ulong[64];
        private int _count;

        /// <summary>Adds <paramref name="page"/>; false when it was there already.</summary>
        internal bool Add(ulong page)
        {
            if (page == 0) throw new System.ArgumentOutOfRangeException(nameof(page));
            if ((_count + 1) * 4 > _slots.Length * 3) Grow();
            if (!Insert(_slots, page)) return false;
            _count++;
            return true;
        }

        private static bool Insert(ulong[] slots, ulong page)
        {
            int mask = slots.Length - 1;
            int i = Slot(page, mask);
            while (slots[i] != 0)
            {
                if (slots[i] == page) return false;
                i = (i + 1) & mask;
            }
            slots[i] = page;
            return true;
        }

        // Fibonacci hashing: page ids are small consecutive numbers
        private static int Slot(ulong page, int mask) => (int)((page * 0x9E3779B97F4A7C15UL) >> 33) & mask;

        private void Grow()
        {
            var bigger = new ulong[_slots.Length * 2];
            foreach (var page in _slots) if (page != 0) Insert(bigger, page);
            _slots = bigger;
        }
    }
}
