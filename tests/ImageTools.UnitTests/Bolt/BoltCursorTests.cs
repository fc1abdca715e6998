using System;
using System.Collections.Generic;
using System.Linq;
using ImageTools.Bolt;
using Xunit;

namespace ImageTools.UnitTests.Bolt
{
    /// <summary>The allocation-free cursor over a bucket's entries, the page set and the inline check, against the tree walk they replace.</summary>
    public class BoltCursorTests
    {
        public static IEnumerable<object[]> Databases() => new[]
        {
            new object[] { "meta.db" },
            new object[] { "meta-large.db" }, // trees with branch pages
        };

        private static BoltDatabase Open(string name) =>
            name == "meta.db" ? BoltDatabase.Open(BoltFixtures.MetaDbPath) : BoltDatabase.FromBytes(BoltFixtures.LargeMetaDb(), name);

        private static List<BoltBucket> AllBuckets(BoltDatabase db) => new[] { db.Root }.Concat(db.Root.Descendants()).ToList();

        [Theory]
        [MemberData(nameof(Databases))]
        public void Cursor_yields_what_the_tree_walk_yields_for_every_bucket(string name)
        {
            var db = Open(name);
            var buckets = AllBuckets(db);
            Assert.True(buckets.Count > 20, $"{name}: only {buckets.Count} buckets");
            Assert.Contains(buckets, b => b.IsInline);
            Assert.Contains(buckets, b => !b.IsInline);
            int entries = 0;
            foreach (var bucket in buckets)
            {
                var walked = bucket.Tree.Walk(bucket).ToList();
                var cursor = new List<BoltEntry>();
                foreach (var e in bucket.Cursor()) cursor.Add(e);
                Assert.Equal(walked.Count, cursor.Count);
                for (int i = 0; i < walked.Count; i++)
                {
                    var w = new BoltEntry(bucket, walked[i]);
                    Assert.True(w.Key.Span.SequenceEqual(cursor[i].Key.Span), $"{bucket.Path}: key {i}");
                    Assert.True(w.Value.Span.SequenceEqual(cursor[i].Value.Span), $"{bucket.Path}: value {i}");
                    Assert.Equal(w.IsBucket, cursor[i].IsBucket);
                    if (w.IsBucket) Assert.Equal(w.OpenBucket()!.Path, cursor[i].OpenBucket()!.Path);
                }
                entries += cursor.Count;
            }
            Assert.True(entries > 50, $"{name}: only {entries} entries");
        }

        [Theory]
        [MemberData(nameof(Databases))]
        public void Inline_without_buckets_is_told_from_the_bytes_as_opening_the_bucket_tells(string name)
        {
            var db = Open(name);
            int inlineLeaves = 0, others = 0;
            foreach (var bucket in AllBuckets(db))
                foreach (var e in bucket.Entries())
                {
                    if (!e.IsBucket)
                    {
                        Assert.False(e.IsInlineWithoutBuckets());
                        continue;
                    }
                    var child = e.OpenBucket()!;
                    bool expected = child.IsInline && !child.Entries().Any(c => c.IsBucket);
                    Assert.Equal(expected, e.IsInlineWithoutBuckets());
                    if (expected) inlineLeaves++; else others++;
                }
            Assert.True(inlineLeaves > 0 && others > 0, $"{name}: {inlineLeaves} inline buckets without buckets, {others} others");
        }

        [Fact]
        public void Page_set_adds_each_page_once_as_a_hash_set_does()
        {
            var set = new BoltPageSet();
            var reference = new HashSet<ulong>();
            var random = new Random(7);
            for (int i = 0; i < 20000; i++)
            {
                ulong page = (ulong)random.Next(2, 5000);
                Assert.Equal(reference.Add(page), set.Add(page));
            }
            Assert.True(reference.Count > 4000);
        }
    }
}
