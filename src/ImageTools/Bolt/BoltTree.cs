using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace ImageTools.Bolt
{
    /// <summary>One leaf element of a bucket: offsets into the in-memory file, and the pages that lead to it.</summary>
    internal readonly struct BoltLeafElement
    {
        internal BoltLeafElement(uint flags, int keyStart, int keyLength, int valueStart, int valueLength, BoltAncestry? ancestry)
        {
            Flags = flags;
            KeyStart = keyStart;
            KeyLength = keyLength;
            ValueStart = valueStart;
            ValueLength = valueLength;
            Ancestry = ancestry;
        }

        internal uint Flags { get; }
        internal int KeyStart { get; }
        internal int KeyLength { get; }
        internal int ValueStart { get; }
        internal int ValueLength { get; }

        /// <summary>The pages from the file's root to the leaf that holds the element (for cycle checks of a nested bucket).</summary>
        internal BoltAncestry? Ancestry { get; }

        internal bool IsBucket => (Flags & BoltTree.BucketLeafFlag) != 0;

        /// <summary>The same element reached through <paramref name="ancestry"/>.</summary>
        internal BoltLeafElement With(BoltAncestry? ancestry) => new BoltLeafElement(Flags, KeyStart, KeyLength, ValueStart, ValueLength, ancestry);
    }

    /// <summary>One branch element: its key (offsets into the in-memory file) and the page of its child.</summary>
    internal readonly struct BoltBranchElement
    {
        internal BoltBranchElement(int keyStart, int keyLength, ulong child)
        {
            KeyStart = keyStart;
            KeyLength = keyLength;
            Child = child;
        }

        internal int KeyStart { get; }
        internal int KeyLength { get; }
        internal ulong Child { get; }
    }

    /// <summary>The page ids on the way from the root bucket to a bucket: a nested bucket whose tree reaches one of them is a cycle.</summary>
    internal sealed class BoltAncestry
    {
        private readonly ulong[]? _pages;
        // the common case, a bucket whose tree is one leaf: its page without an array
        private readonly ulong _page;
        private readonly BoltAncestry? _parent;

        internal BoltAncestry(ulong[] pages, BoltAncestry? parent)
        {
            _pages = pages;
            _parent = parent;
        }

        internal BoltAncestry(ulong page, BoltAncestry? parent)
        {
            _page = page;
            _parent = parent;
        }

        internal bool Contains(ulong page)
        {
            for (var a = this; a != null; a = a._parent)
            {
                if (a._pages == null) { if (a._page == page) return true; }
                else foreach (var p in a._pages) if (p == page) return true;
            }
            return false;
        }
    }

    /// <summary>
    /// Reads bucket trees lazily from the in-memory file: a cursor over the leaf elements of one bucket in key order
    /// (explicit stack, no recursion) and a binary-search seek for one key. Every page is checked when it is reached:
    /// id below the high-water mark and past the metas, inside the file, branch or leaf flags, header id, element
    /// array and every element inside the page, tree depth, and no page reached twice in one walk or on the way from
    /// the root (cycles). A walk also checks that keys strictly increase. A damaged file gives a
    /// <see cref="BoltFormatException"/> when the damaged page is reached, never a hang or a crash.
    /// </summary>
    internal sealed class BoltTree
    {
        internal const int MaxTreeDepth = 64;
        internal const int MaxNesting = 512;
        internal const uint BucketLeafFlag = 0x01;
        internal const int InBucketSize = 16;

        private readonly ReadOnlyMemory<byte> _data;
        private readonly BoltMappedFile? _mapping;
        private readonly string _source;
        private readonly int _pageSize;
        private readonly ulong _highWater;

        internal BoltTree(ReadOnlyMemory<byte> data, BoltMappedFile? mapping, string source, BoltMeta meta)
        {
            _data = data;
            _mapping = mapping;
            _source = source;
            _pageSize = (int)meta.PageSize;
            _highWater = meta.HighWaterPageId;
        }

        internal ReadOnlyMemory<byte> Data => _data;
        internal string Source => _source;

        /// <summary>Every leaf element of <paramref name="bucket"/> in key order; <paramref name="visited"/> (a whole-database walk) catches pages shared between buckets too.</summary>
        internal IEnumerable<BoltLeafElement> Walk(BoltBucket bucket, BoltPageSet? visited = null, BoltDatabaseStats? stats = null)
        {
            if (bucket.IsInline)
            {
                var inline = InlinePage(bucket);
                int previousStart = -1, previousLength = 0;
                for (int i = 0; i < inline.Count; i++)
                {
                    var e = inline.LeafElement(i, _source, bucket.Ancestry);
                    CheckOrder(bucket, inline, i, previousStart, previousLength, e.KeyStart, e.KeyLength);
                    previousStart = e.KeyStart;
                    previousLength = e.KeyLength;
                    yield return e;
                }
                yield break;
            }

            // most trees are one leaf (every record of containerd's meta.db): walked without a stack, and the stack and
            // the set of pages seen are made only when a branch is met (they were most of what a listing allocated)
            var root = LoadPage(bucket.RootPageId, null, 0, bucket, visited, stats, -1);
            if (root.IsLeaf)
            {
                if (stats != null) stats.LeafPages++;
                BoltAncestry? leafAncestry = null;
                int lastStart = -1, lastLength = 0;
                for (int i = 0; i < root.Count; i++)
                {
                    var e = root.LeafElement(i, _source);
                    CheckOrder(bucket, root, i, lastStart, lastLength, e.KeyStart, e.KeyLength);
                    lastStart = e.KeyStart;
                    lastLength = e.KeyLength;
                    if ((e.Flags & BucketLeafFlag) != 0 && leafAncestry == null) leafAncestry = new BoltAncestry(root.Id, bucket.Ancestry);
                    yield return e.With(leafAncestry);
                }
                yield break;
            }
            var pages = new BoltPage[4];
            var next = new int[4];
            int depth = 0;
            pages[0] = root;
            if (visited == null) { visited = new BoltPageSet(); visited.Add(bucket.RootPageId); }
            int prevStart = -1, prevLength = 0;
            while (depth >= 0)
            {
                var page = pages[depth];
                if (page.IsLeaf)
                {
                    if (stats != null) stats.LeafPages++;
                    BoltAncestry? ancestry = null;
                    for (int i = 0; i < page.Count; i++)
                    {
                        var e = page.LeafElement(i, _source);
                        CheckOrder(bucket, page, i, prevStart, prevLength, e.KeyStart, e.KeyLength);
                        prevStart = e.KeyStart;
                        prevLength = e.KeyLength;
                        if ((e.Flags & BucketLeafFlag) != 0 && ancestry == null) ancestry = Ancestry(pages, depth, bucket);
                        yield return e.With(ancestry);
                    }
                    depth--;
                    continue;
                }
                if (next[depth] == 0)
                {
                    if (stats != null) stats.BranchPages++;
                    if (page.Count == 0)
                        throw page.Corrupt(_source, $"branch page {page.Id} of bucket {bucket.ShowPath} has no elements");
                }
                if (next[depth] >= page.Count)
                {
                    depth--;
                    continue;
                }
                int index = next[depth]++;
                var element = page.BranchElement(index, _source);
                if (depth + 1 >= MaxTreeDepth)
                    throw new BoltFormatException(_source, BoltErrorKind.TooDeep,
                        $"the tree of bucket {bucket.ShowPath} is more than {MaxTreeDepth} levels deep at page {element.Child}", element.Child);
                if (depth + 1 == pages.Length)
                {
                    Array.Resize(ref pages, pages.Length * 2);
                    Array.Resize(ref next, next.Length * 2);
                }
                pages[depth + 1] = LoadPage(element.Child, pages, depth + 1, bucket, visited, stats, index);
                next[depth + 1] = 0;
                depth++;
            }
        }

        /// <summary>Finds <paramref name="key"/> in <paramref name="bucket"/> by binary search down its tree; false when absent.</summary>
        internal bool Seek(BoltBucket bucket, ReadOnlySpan<byte> key, out BoltLeafElement found)
        {
            found = default;
            if (bucket.IsInline)
            {
                var inline = InlinePage(bucket);
                int at = FindInLeaf(inline, key);
                if (at < 0) return false;
                found = inline.LeafElement(at, _source, bucket.Ancestry);
                return true;
            }
            var pages = new BoltPage[4];
            int depth = 0;
            pages[0] = LoadPage(bucket.RootPageId, null, 0, bucket, null, null, -1);
            while (!pages[depth].IsLeaf)
            {
                var page = pages[depth];
                if (page.Count == 0)
                    throw page.Corrupt(_source, $"branch page {page.Id} of bucket {bucket.ShowPath} has no elements");
                // the last element whose key is <= the key sought (bbolt's first key of each child), else the first
                int lo = 0, hi = page.Count - 1, index = 0;
                while (lo <= hi)
                {
                    int mid = lo + (hi - lo) / 2;
                    var me = page.BranchElement(mid, _source);
                    int c = BoltBytes.Compare(_data.Span.Slice(me.KeyStart, me.KeyLength), key);
                    if (c <= 0) { index = mid; lo = mid + 1; }
                    else hi = mid - 1;
                }
                var element = page.BranchElement(index, _source);
                if (depth + 1 >= MaxTreeDepth)
                    throw new BoltFormatException(_source, BoltErrorKind.TooDeep,
                        $"the tree of bucket {bucket.ShowPath} is more than {MaxTreeDepth} levels deep at page {element.Child}", element.Child);
                if (depth + 1 == pages.Length) Array.Resize(ref pages, pages.Length * 2);
                pages[depth + 1] = LoadPage(element.Child, pages, depth + 1, bucket, null, null, index);
                depth++;
            }
            var leaf = pages[depth];
            int i = FindInLeaf(leaf, key);
            if (i < 0) return false;
            var l = leaf.LeafElement(i, _source);
            found = l.IsBucket ? l.With(Ancestry(pages, depth, bucket)) : l;
            return true;
        }

        /// <summary>The nested bucket an element holds (its value is the 16-byte bucket header, then the inline page if root is 0).</summary>
        [MethodImpl(HotPath.Optimized)]
        internal BoltBucket OpenChild(BoltBucket parent, BoltLeafElement e)
        {
            var name = _data.Slice(e.KeyStart, e.KeyLength);
            if (parent.Nesting + 1 > MaxNesting || e.ValueLength < InBucketSize) throw BadChild(parent, name, e);
            var header = _data.Span.Slice(e.ValueStart, InBucketSize);
            ulong root = BinaryPrimitives.ReadUInt64LittleEndian(header);
            ulong sequence = BinaryPrimitives.ReadUInt64LittleEndian(header.Slice(8));
            return new BoltBucket(this, parent, name, sequence, root, e.ValueStart + InBucketSize, e.ValueStart + e.ValueLength, e.Ancestry);
        }

        private BoltFormatException BadChild(BoltBucket parent, ReadOnlyMemory<byte> name, BoltLeafElement e) =>
            parent.Nesting + 1 > MaxNesting
                ? new BoltFormatException(_source, BoltErrorKind.TooDeep,
                    $"buckets are nested more than {MaxNesting} deep at {Show(BoltBucket.ChildPath(parent, name))}")
                : new BoltFormatException(_source, BoltErrorKind.CorruptPage,
                    $"the value of bucket {Show(BoltBucket.ChildPath(parent, name))} is {e.ValueLength} bytes, shorter than a bucket header ({InBucketSize} bytes)");

        /// <summary>See <see cref="BoltEntry.IsInlineWithoutBuckets"/>: the element's value is a bucket header with root 0, then a leaf page none of whose elements is a bucket.</summary>
        internal bool IsInlineWithoutBuckets(BoltLeafElement e)
        {
            const int Header = InBucketSize + BoltPage.HeaderSize;
            if (e.ValueLength < Header) return false;
            var value = _data.Span.Slice(e.ValueStart, e.ValueLength);
            if (BinaryPrimitives.ReadUInt64LittleEndian(value) != 0) return false;
            var page = value.Slice(InBucketSize);
            if (BinaryPrimitives.ReadUInt16LittleEndian(page.Slice(8)) != BoltPage.LeafFlag) return false;
            int count = BinaryPrimitives.ReadUInt16LittleEndian(page.Slice(10));
            if ((long)BoltPage.HeaderSize + (long)count * BoltPage.ElementSize > page.Length) return false;
            for (int i = 0; i < count; i++)
                if ((BinaryPrimitives.ReadUInt32LittleEndian(page.Slice(BoltPage.HeaderSize + i * BoltPage.ElementSize)) & BucketLeafFlag) != 0) return false;
            return true;
        }

        /// <summary>Loads the page of a bucket whose tree is one page (inline, or a single leaf); false (and the root page) for a tree with branches.</summary>
        [MethodImpl(HotPath.Optimized)]
        internal bool TryOnePage(BoltBucket bucket, out BoltPage page)
        {
            if (bucket.IsInline)
            {
                page = InlinePage(bucket);
                return true;
            }
            page = LoadPage(bucket.RootPageId, null, 0, bucket, null, null, -1);
            return page.IsLeaf;
        }

        /// <summary>Checks the root page of the database's root bucket (done at open, so that a torn read is seen early).</summary>
        internal void CheckRootPage(BoltBucket root) => LoadPage(root.RootPageId, null, 0, root, null, null, -1);

        private BoltPage InlinePage(BoltBucket bucket)
        {
            int start = bucket.InlineStart, end = bucket.InlineEnd;
            if (end - start < BoltPage.HeaderSize)
                throw new BoltFormatException(_source, BoltErrorKind.CorruptPage,
                    $"the inline page of bucket {bucket.ShowPath} is {end - start} bytes, shorter than a page header");
            var page = new BoltPage(_data, start, end, 0, bucket);
            if (!page.IsLeaf)
                throw new BoltFormatException(_source, BoltErrorKind.WrongPageType,
                    $"{page.Where} has flags 0x{page.Flags:x2} ({BoltPage.DescribeFlags(page.Flags)}), expected a leaf page");
            // A bucket is only ever opened from an element of a page that was checked whole, nested inline pages
            // included (BoltPage.CheckNestedBucket), so the layout of this one was checked already; checking it again
            // on every open made a listing check each record's page two or three times.
            if (bucket.IsRoot) page.CheckLayout(_source);
            return page;
        }

        private int FindInLeaf(BoltPage leaf, ReadOnlySpan<byte> key)
        {
            int lo = 0, hi = leaf.Count - 1;
            while (lo <= hi)
            {
                int mid = lo + (hi - lo) / 2;
                var e = leaf.LeafElement(mid, _source);
                int c = BoltBytes.Compare(_data.Span.Slice(e.KeyStart, e.KeyLength), key);
                if (c == 0) return mid;
                if (c < 0) lo = mid + 1; else hi = mid - 1;
            }
            return -1;
        }

        internal void CheckOrder(BoltBucket bucket, BoltPage page, int i, int previousStart, int previousLength, int keyStart, int keyLength)
        {
            if (previousStart < 0) return;
            if (BoltBytes.Compare(_data.Span.Slice(previousStart, previousLength), _data.Span.Slice(keyStart, keyLength)) >= 0)
                throw page.Corrupt(_source,
                    $"keys of bucket {bucket.ShowPath} are out of order at element {i} of {page.Where} ({BoltBytes.Describe(_data.Slice(keyStart, keyLength))})");
        }

        private static BoltAncestry Ancestry(BoltPage[] pages, int depth, BoltBucket bucket)
        {
            var ids = new ulong[depth + 1];
            for (int i = 0; i <= depth; i++) ids[i] = pages[i].Id;
            return new BoltAncestry(ids, bucket.Ancestry);
        }

        /// <summary>
        /// Loads and checks page <paramref name="id"/>, reached at <paramref name="depth"/> of the walk whose pages
        /// above it are <paramref name="path"/> (element <paramref name="element"/> of the page above; -1 for a root).
        /// </summary>
        [MethodImpl(HotPath.Optimized)]
        private BoltPage LoadPage(ulong id, BoltPage[]? path, int depth, BoltBucket bucket, BoltPageSet? visited, BoltDatabaseStats? stats, int element)
        {
            // the messages are made by the methods below, out of this one: it is compiled in every new session
            long start = (long)id * _pageSize;
            if (id >= _highWater || id < 2 || start + _pageSize > _data.Length) throw BadPageId(id, path, depth, bucket, element);
            var header = new BoltPage(_data, (int)start, (int)start + _pageSize, id, null);
            if ((header.Flags != BoltPage.BranchFlag && header.Flags != BoltPage.LeafFlag) || header.HeaderId != id)
                throw BadHeader(header, id, path, depth, bucket, element);
            ulong last = id + header.Overflow;
            if (last >= _highWater || (long)(last + 1) * _pageSize > _data.Length)
                throw new BoltFormatException(_source, BoltErrorKind.PageOutOfRange,
                    $"page {id} claims {header.Overflow} overflow pages, which run past the high-water mark {_highWater} or the end of the file", id);
            bool again = bucket.Ancestry != null && bucket.Ancestry.Contains(id);
            for (int i = 0; i < depth && !again; i++) again = path![i].Id == id;
            if (!again && visited != null)
                for (ulong p = id; p <= last && !again; p++) again = !visited.Add(p);
            if (again)
                throw new BoltFormatException(_source, BoltErrorKind.Cycle,
                    $"page {id} is reached a second time (from {From(path, depth, bucket, element)}): the page graph has a cycle or a shared page", id);
            if (stats != null)
            {
                stats.OverflowPages += header.Overflow;
                if (depth + 1 > stats.MaxTreeDepth) stats.MaxTreeDepth = depth + 1;
            }
            _mapping?.Loaded(start, (int)((last + 1 - id) * (ulong)_pageSize));
            if (header.Overflow == 0)
            {
                header.CheckLayout(_source);
                return header;
            }
            var page = new BoltPage(_data, (int)start, (int)((long)(last + 1) * _pageSize), id, null);
            page.CheckLayout(_source);
            return page;
        }

        private static string From(BoltPage[]? path, int depth, BoltBucket bucket, int element) =>
            element < 0 ? $"the root of bucket {bucket.ShowPath}" : $"element {element} of branch page {path![depth - 1].Id}";

        private BoltFormatException BadPageId(ulong id, BoltPage[]? path, int depth, BoltBucket bucket, int element)
        {
            if (id >= _highWater)
                return new BoltFormatException(_source, BoltErrorKind.PageOutOfRange,
                    $"page id {id}, reached from {From(path, depth, bucket, element)}, is out of range: the high-water mark is {_highWater}", id);
            if (id < 2)
                return new BoltFormatException(_source, BoltErrorKind.WrongPageType,
                    $"page {id}, reached from {From(path, depth, bucket, element)}, is a meta page, expected a branch or leaf page", id);
            return new BoltFormatException(_source, BoltErrorKind.PageOutOfRange,
                $"page {id}, reached from {From(path, depth, bucket, element)}, lies beyond the end of the file ({_data.Length} bytes)", id);
        }

        private BoltFormatException BadHeader(BoltPage header, ulong id, BoltPage[]? path, int depth, BoltBucket bucket, int element)
        {
            if (header.Flags != BoltPage.BranchFlag && header.Flags != BoltPage.LeafFlag)
                return new BoltFormatException(_source, BoltErrorKind.WrongPageType,
                    $"page {id}, reached from {From(path, depth, bucket, element)}, has flags 0x{header.Flags:x2} ({BoltPage.DescribeFlags(header.Flags)}), expected a branch or leaf page", id);
            return header.Corrupt(_source, $"page {id}, reached from {From(path, depth, bucket, element)}, has id {header.HeaderId} in its header");
        }

        internal static string Show(string path) => path.Length == 0 ? "(root)" : "'" + path + "'";
    }
}
