using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace ImageTools.Bolt
{
    /// <summary>
    /// The entries of a bucket in key order, walked without allocating (<see cref="BoltBucket.Cursor"/>, used with
    /// foreach): a bucket whose tree is one page (an inline bucket or a single leaf, as every record of containerd's
    /// meta.db) is read straight from that page, with the checks <see cref="BoltTree.Walk"/> makes; a larger tree goes
    /// through <see cref="BoltTree.Walk"/>. A listing walks tens of thousands of small buckets, and two iterator objects
    /// per bucket, called through interfaces, were a good part of its time.
    /// </summary>
    internal struct BoltCursor
    {
        private readonly BoltBucket _bucket;
        private readonly BoltPage _page;
        private readonly IEnumerator<BoltLeafElement>? _tree;
        private int _index;
        private int _lastStart;
        private int _lastLength;
        private BoltAncestry? _ancestry;
        private BoltEntry _current;

        [MethodImpl(HotPath.Optimized)]
        internal BoltCursor(BoltBucket bucket)
        {
            _bucket = bucket;
            _index = 0;
            _lastStart = -1;
            _lastLength = 0;
            _current = default;
            // an inline bucket's entries are reached through its parent's pages; a leaf's through the leaf (made when a nested bucket is met)
            _ancestry = bucket.IsInline ? bucket.Ancestry : null;
            // a tree with branches is walked by BoltTree.Walk, which loads its root again: rare, and only once per bucket
            _tree = bucket.Tree.TryOnePage(bucket, out _page) ? null : bucket.Tree.Walk(bucket).GetEnumerator();
        }

        public BoltCursor GetEnumerator() => this;

        public BoltEntry Current => _current;

        [MethodImpl(HotPath.Optimized)]
        public bool MoveNext()
        {
            if (_tree != null)
            {
                if (!_tree.MoveNext()) return false;
                _current = new BoltEntry(_bucket, _tree.Current);
                return true;
            }
            if (_index >= _page.Count) return false;
            var tree = _bucket.Tree;
            var e = _page.LeafElement(_index, tree.Source);
            tree.CheckOrder(_bucket, _page, _index, _lastStart, _lastLength, e.KeyStart, e.KeyLength);
            _lastStart = e.KeyStart;
            _lastLength = e.KeyLength;
            if (e.IsBucket && _ancestry == null && !_bucket.IsInline) _ancestry = new BoltAncestry(_page.Id, _bucket.Ancestry);
            _current = new BoltEntry(_bucket, e.With(_ancestry));
            _index++;
            return true;
        }
    }
}
