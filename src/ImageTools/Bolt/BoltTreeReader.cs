using System;
using System.Buffers.Binary;
using System.Collections.Generic;

namespace ImageTools.Bolt
{
    /// <summary>
    /// Walks the whole database once, from the root bucket of the chosen meta page, and builds the bucket objects.
    /// Every page is checked when it is reached: id below the high-water mark and inside the file, branch or leaf
    /// flags, header id, elements inside the page, keys in strictly increasing order. A page (and every page of its
    /// overflow run) may be reached only once in the whole walk, which catches cycles and shared pages; tree depth
    /// and bucket nesting are bounded, and the walk of a tree uses an explicit stack, so a damaged file can neither
    /// hang the reader nor overflow its stack.
    /// </summary>
    internal sealed class BoltTreeReader
    {
        internal const int MaxTreeDepth = 64;
        internal const int MaxNesting = 512;
        private const uint BucketLeafFlag = 0x01;
        private const int InBucketSize = 16;

        private readonly byte[] _data;
        private readonly string _source;
        private readonly int _pageSize;
        private readonly ulong _highWater;
        private readonly HashSet<ulong> _visited = new HashSet<ulong>();
        private readonly BoltDatabaseStats _stats = new BoltDatabaseStats();

        internal BoltTreeReader(byte[] data, string source, BoltMeta meta)
        {
            _data = data;
            _source = source;
            _pageSize = (int)meta.PageSize;
            _highWater = meta.HighWaterPageId;
        }

        internal BoltDatabaseStats Stats => _stats;

        internal BoltBucket ReadRoot(BoltMeta meta) =>
            ReadBucket(ReadOnlyMemory<byte>.Empty, "", meta.RootPageId, meta.RootSequence, 0, 0, 0);

        private BoltBucket ReadBucket(ReadOnlyMemory<byte> name, string path, ulong root, ulong sequence,
            int inlineStart, int inlineEnd, int nesting)
        {
            if (nesting > MaxNesting)
                throw new BoltFormatException(_source, BoltErrorKind.TooDeep,
                    $"buckets are nested more than {MaxNesting} deep at {Show(path)}", root == 0 ? (ulong?)null : root);
            _stats.Buckets++;
            var entries = new List<(uint Flags, int KeyStart, int KeyLength, int ValueStart, int ValueLength)>();
            if (root == 0)
            {
                _stats.InlineBuckets++;
                ReadInline(path, inlineStart, inlineEnd, entries);
            }
            else
            {
                ReadTree(path, root, entries);
            }

            var pairs = new List<BoltPair>();
            var buckets = new List<BoltBucket>();
            foreach (var e in entries)
            {
                var key = new ReadOnlyMemory<byte>(_data, e.KeyStart, e.KeyLength);
                if ((e.Flags & BucketLeafFlag) == 0)
                {
                    pairs.Add(new BoltPair(key, new ReadOnlyMemory<byte>(_data, e.ValueStart, e.ValueLength)));
                    _stats.Pairs++;
                    continue;
                }
                string childPath = path.Length == 0 ? BoltBytes.Describe(key) : path + "/" + BoltBytes.Describe(key);
                if (e.ValueLength < InBucketSize)
                    throw new BoltFormatException(_source, BoltErrorKind.CorruptPage,
                        $"the value of bucket {Show(childPath)} is {e.ValueLength} bytes, shorter than a bucket header ({InBucketSize} bytes)");
                var header = new ReadOnlySpan<byte>(_data, e.ValueStart, InBucketSize);
                ulong childRoot = BinaryPrimitives.ReadUInt64LittleEndian(header);
                ulong childSequence = BinaryPrimitives.ReadUInt64LittleEndian(header.Slice(8));
                buckets.Add(ReadBucket(key, childPath, childRoot, childSequence,
                    e.ValueStart + InBucketSize, e.ValueStart + e.ValueLength, nesting + 1));
            }
            return new BoltBucket(name, path, sequence, root, pairs, buckets);
        }

        private void ReadInline(string path, int start, int end,
            List<(uint, int, int, int, int)> entries)
        {
            string where = $"the inline page of bucket {Show(path)}";
            if (end - start < BoltPage.HeaderSize)
                throw new BoltFormatException(_source, BoltErrorKind.CorruptPage,
                    $"{where} is {end - start} bytes, shorter than a page header");
            var page = new BoltPage(_data, start, end, 0, where);
            if (!page.IsLeaf)
                throw new BoltFormatException(_source, BoltErrorKind.WrongPageType,
                    $"{where} has flags 0x{page.Flags:x2} ({BoltPage.DescribeFlags(page.Flags)}), expected a leaf page");
            page.CheckElementArray(_source);
            ReadOnlyMemory<byte> previous = default;
            bool first = true;
            AddLeafElements(page, path, entries, ref previous, ref first);
        }

        private void ReadTree(string path, ulong root, List<(uint, int, int, int, int)> entries)
        {
            var stack = new Stack<(ulong Id, int Depth, string From)>();
            stack.Push((root, 1, $"the root of bucket {Show(path)}"));
            ReadOnlyMemory<byte> previous = default;
            bool first = true;
            while (stack.Count > 0)
            {
                var (id, depth, from) = stack.Pop();
                if (depth > MaxTreeDepth)
                    throw new BoltFormatException(_source, BoltErrorKind.TooDeep,
                        $"the tree of bucket {Show(path)} is more than {MaxTreeDepth} levels deep at page {id}", id);
                var page = LoadPage(id, from);
                if (depth > _stats.MaxTreeDepth) _stats.MaxTreeDepth = depth;
                if (page.IsLeaf)
                {
                    _stats.LeafPages++;
                    AddLeafElements(page, path, entries, ref previous, ref first);
                    continue;
                }
                _stats.BranchPages++;
                if (page.Count == 0)
                    throw page.Corrupt(_source, $"branch page {id} of bucket {Show(path)} has no elements");
                for (int i = page.Count - 1; i >= 0; i--)
                {
                    var element = page.BranchElement(i, _source);
                    stack.Push((element.Child, depth + 1, $"element {i} of branch page {id}"));
                }
            }
        }

        private BoltPage LoadPage(ulong id, string from)
        {
            if (id >= _highWater)
                throw new BoltFormatException(_source, BoltErrorKind.PageOutOfRange,
                    $"page id {id}, reached from {from}, is out of range: the high-water mark is {_highWater}", id);
            if (id < 2)
                throw new BoltFormatException(_source, BoltErrorKind.WrongPageType,
                    $"page {id}, reached from {from}, is a meta page, expected a branch or leaf page", id);
            long start = (long)id * _pageSize;
            if (start + _pageSize > _data.Length)
                throw new BoltFormatException(_source, BoltErrorKind.PageOutOfRange,
                    $"page {id}, reached from {from}, lies beyond the end of the file ({_data.Length} bytes)", id);
            var header = new BoltPage(_data, (int)start, (int)start + _pageSize, id, $"page {id}");
            if (header.Flags != BoltPage.BranchFlag && header.Flags != BoltPage.LeafFlag)
                throw new BoltFormatException(_source, BoltErrorKind.WrongPageType,
                    $"page {id}, reached from {from}, has flags 0x{header.Flags:x2} ({BoltPage.DescribeFlags(header.Flags)}), expected a branch or leaf page", id);
            if (header.HeaderId != id)
                throw header.Corrupt(_source, $"page {id}, reached from {from}, has id {header.HeaderId} in its header");
            ulong last = id + header.Overflow;
            if (last >= _highWater || (long)(last + 1) * _pageSize > _data.Length)
                throw new BoltFormatException(_source, BoltErrorKind.PageOutOfRange,
                    $"page {id} claims {header.Overflow} overflow pages, which run past the high-water mark {_highWater} or the end of the file", id);
            for (ulong p = id; p <= last; p++)
            {
                if (!_visited.Add(p))
                    throw new BoltFormatException(_source, BoltErrorKind.Cycle,
                        $"page {p} is reached a second time (from {from}): the page graph has a cycle or a shared page", p);
            }
            _stats.OverflowPages += header.Overflow;
            var page = new BoltPage(_data, (int)start, (int)((long)(last + 1) * _pageSize), id, $"page {id}");
            page.CheckElementArray(_source);
            return page;
        }

        private void AddLeafElements(BoltPage page, string path, List<(uint, int, int, int, int)> entries,
            ref ReadOnlyMemory<byte> previous, ref bool first)
        {
            for (int i = 0; i < page.Count; i++)
            {
                var element = page.LeafElement(i, _source);
                var key = new ReadOnlyMemory<byte>(_data, element.KeyStart, element.KeyLength);
                if (!first && BoltBytes.Compare(previous.Span, key.Span) >= 0)
                    throw page.Corrupt(_source,
                        $"keys of bucket {Show(path)} are out of order at element {i} of {page.Where} ({BoltBytes.Describe(key)})");
                previous = key;
                first = false;
                entries.Add(element);
            }
        }

        private static string Show(string path) => path.Length == 0 ? "(root)" : "'" + path + "'";
    }
}
