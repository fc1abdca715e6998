using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ImageTools.Bolt;
using Xunit;

namespace ImageTools.UnitTests.Bolt
{
    /// <summary>Reads the meta.db and metadata.db written by a real containerd and compares with what ctr said.</summary>
    public class BoltRealFixtureTests
    {
        private static readonly BoltDatabase Db = BoltDatabase.Open(BoltFixtures.MetaDbPath);

        private static Dictionary<string, string> LabelsOf(BoltBucket? bucket) =>
            bucket?.GetBucket("labels")?.Pairs.ToDictionary(p => p.KeyString, p => p.ValueString) ?? new Dictionary<string, string>();

        [Fact]
        public void Opens_with_the_expected_meta()
        {
            Assert.Equal(4096, Db.PageSize);
            Assert.Equal(262144, Db.FileLength);
            Assert.True(Db.Meta0.IsValid && Db.Meta1.IsValid);
            Assert.Equal(Math.Max(Db.Meta0.TxId, Db.Meta1.TxId), Db.TxId);
            Assert.Equal(1, Db.Attempts);
            Assert.Single(Db.Root.Buckets);
            Assert.Equal(new byte[] { 0x06 }, Db.Root.GetBucket("v1")!.Get("version")); // varint(3)
        }

        [Fact]
        public void Namespaces_and_their_labels_match_ctr()
        {
            var v1 = Db.Root.GetBucket("v1")!;
            var rows = BoltFixtures.Listing("ctr-namespaces.txt");
            Assert.Equal(rows.Select(r => r[0]), v1.Buckets.Select(b => b.NameString));
            foreach (var row in rows)
                Assert.Equal(BoltFixtures.Labels(row.Length > 1 ? row[1] : "-"), LabelsOf(v1.GetBucket(row[0])));
        }

        [Theory]
        [InlineData("alpha")]
        [InlineData("beta")]
        public void Leases_ids_labels_and_times_match_ctr(string ns)
        {
            var leases = Db.Root.GetBucketPath("v1", ns, "leases")!;
            var rows = BoltFixtures.Listing($"ctr-leases-{ns}.txt");
            Assert.Equal(rows.Select(r => r[0]).OrderBy(x => x, StringComparer.Ordinal), leases.Buckets.Select(b => b.NameString));
            foreach (var row in rows)
            {
                var lease = leases.GetBucket(row[0])!;
                Assert.Equal(BoltFixtures.Labels(row[2]), LabelsOf(lease));
                var created = GoEncoding.ReadTime(lease.Get("createdat"));
                var listed = DateTimeOffset.Parse(row[1], CultureInfo.InvariantCulture);
                Assert.Equal(listed.UtcDateTime, created.UtcDateTime.AddTicks(-(created.UtcDateTime.Ticks % TimeSpan.TicksPerSecond)));
            }
        }

        [Fact]
        public void Content_digests_sizes_and_labels_match_ctr()
        {
            var blobs = Db.Root.GetBucketPath("v1", "alpha", "content", "blob")!;
            var rows = BoltFixtures.Listing("ctr-content-alpha.txt", tabs: true);
            Assert.Equal(rows.Select(r => r[0]), blobs.Buckets.Select(b => b.NameString));
            foreach (var row in rows)
            {
                var blob = blobs.GetBucket(row[0])!;
                Assert.Equal(long.Parse(row[1].TrimEnd('B'), CultureInfo.InvariantCulture), GoEncoding.ReadVarint(blob.Get("size")));
                Assert.Equal(BoltFixtures.Labels(row[3]), LabelsOf(blob));
                Assert.True(GoEncoding.ReadTime(blob.Get("createdat")) <= GoEncoding.ReadTime(blob.Get("updatedat")));
            }
        }

        [Fact]
        public void Image_record_matches_ctr()
        {
            var row = BoltFixtures.Listing("ctr-images-alpha.txt").Single();
            var image = Db.Root.GetBucketPath("v1", "alpha", "images", row[0])!;
            Assert.Equal(row[1], image.GetBucket("target")!.GetString("mediatype"));
            Assert.Equal(row[2], image.GetBucket("target")!.GetString("digest"));
            Assert.True(image.GetBucket("target")!.IsInline);
            Assert.Equal("tiny:1.0", image.GetBucket("annotations")!.GetString("org.opencontainers.image.ref.name"));
        }

        [Fact]
        public void Walks_every_bucket_and_finds_inline_and_page_buckets()
        {
            var all = Db.Root.Descendants().ToList();
            Assert.Equal(Db.Stats.Buckets - 1, all.Count);
            Assert.Equal(Db.Stats.Pairs, all.Sum(b => (long)b.Pairs.Count) + Db.Root.Pairs.Count);
            Assert.Equal(Db.Stats.InlineBuckets, all.Count(b => b.IsInline));
            Assert.Contains(all, b => b.IsInline);
            Assert.Contains(all, b => !b.IsInline);
            foreach (var bucket in all.Prepend(Db.Root))
            {
                AssertSorted(bucket.Buckets.Select(b => b.Name.ToArray()));
                AssertSorted(bucket.Pairs.Select(p => p.Key.ToArray()));
                foreach (var child in bucket.Buckets)
                {
                    var found = bucket.GetBucket(child.Name.ToArray())!; // a binary search down the tree, not the walk
                    Assert.Equal(child.RootPageId, found.RootPageId);
                    Assert.Equal(child.Path, found.Path);
                    Assert.Equal(child.Pairs.Select(p => p.KeyString), found.Pairs.Select(p => p.KeyString));
                }
                foreach (var pair in bucket.Pairs)
                {
                    Assert.Equal(pair.Value.ToArray(), bucket.Get(pair.Key.ToArray()));
                    Assert.Null(bucket.GetBucket(pair.Key.ToArray()));
                }
                foreach (var child in bucket.Buckets) Assert.Null(bucket.Get(child.Name.ToArray()));
                // every value named like a timestamp decodes as one
                foreach (var pair in bucket.Pairs.Where(p => p.KeyString == "createdat" || p.KeyString == "updatedat"))
                    Assert.InRange(GoEncoding.ReadTime(pair.Value.Span).Year, 2024, 9999);
            }
            Assert.Null(Db.Root.GetBucket("no-such-bucket"));
            Assert.Null(Db.Root.GetBucket("v1")!.Get("no-such-key"));
        }

        [Fact]
        public void Snapshots_in_both_databases_match_ctr()
        {
            var snapDb = BoltDatabase.Open(BoltFixtures.SnapshotDbPath);
            Assert.Equal(65536, snapDb.FileLength);
            var metaSnaps = Db.Root.GetBucketPath("v1", "alpha", "snapshots", "overlayfs")!;
            var storeSnaps = snapDb.Root.GetBucketPath("v1", "snapshots")!;
            var rows = BoltFixtures.Listing("ctr-snapshots-alpha.txt");
            Assert.Equal(rows.Select(r => r[0]).OrderBy(x => x, StringComparer.Ordinal), metaSnaps.Buckets.Select(b => b.NameString));
            var ids = new List<ulong>();
            foreach (var row in rows)
            {
                var snap = metaSnaps.GetBucket(row[0])!;
                string kind = row[row.Length - 1];
                Assert.Equal(row.Length == 3 ? row[1] : null, snap.GetString("parent"));
                var stored = storeSnaps.GetBucket(snap.GetString("name")!)!;
                Assert.Equal(kind == "Active" ? 2 : 3, stored.Get("kind")!.Single());
                ids.Add(GoEncoding.ReadUvarint(stored.Get("id")));
                if (kind == "Committed") Assert.True(GoEncoding.ReadVarint(stored.Get("size")) > 0);
            }
            Assert.Equal(ids.Max(), storeSnaps.Sequence); // the bucket sequence hands out snapshot ids
            // v1/parents: uvarint(parent id) 0x00 uvarint(child id) => child key
            var parent = snapDb.Root.GetBucketPath("v1", "parents")!.Pairs.Single();
            Assert.True(GoEncoding.TryReadUvarint(parent.Key.Span, out ulong parentId, out int n));
            Assert.Equal(0, parent.Key.Span[n]);
            Assert.Equal(2UL, GoEncoding.ReadUvarint(parent.Key.Span.Slice(n + 1)));
            Assert.Equal(1UL, parentId);
            Assert.Equal("alpha/3/ctr-one", parent.ValueString);
        }

        [Fact]
        public void Large_database_every_key_is_found_by_search_as_by_walk()
        {
            var db = BoltDatabase.FromBytes(BoltFixtures.LargeMetaDb(), "meta-large.db");
            int searched = 0;
            foreach (var bucket in db.Root.Descendants().Prepend(db.Root))
            {
                var entries = bucket.Entries().ToList();
                Assert.Equal(bucket.Buckets.Count + bucket.Pairs.Count, entries.Count);
                Assert.Equal(bucket.Buckets.Count, bucket.CountBuckets());
                foreach (var e in entries)
                {
                    var key = e.Key.ToArray();
                    if (e.IsBucket) Assert.Equal(e.OpenBucket()!.RootPageId, bucket.GetBucket(key)!.RootPageId);
                    else Assert.Equal(e.Value.ToArray(), bucket.Get(key));
                    // keys just around this one are absent
                    Assert.Null(bucket.Get(key.Concat(new byte[] { 0 }).ToArray()));
                    searched++;
                }
            }
            Assert.Equal(db.Stats.Pairs + db.Stats.Buckets - 1, searched);
        }

        [Fact]
        public void Large_database_has_branch_levels_and_overflow_pages_and_matches_ctr()
        {
            var db = BoltDatabase.FromBytes(BoltFixtures.LargeMetaDb(), "meta-large.db");
            Assert.True(db.Stats.BranchPages >= 3, db.Stats.ToString());
            Assert.True(db.Stats.MaxTreeDepth >= 3, db.Stats.ToString());
            Assert.True(db.Stats.OverflowPages >= 1, db.Stats.ToString());

            var blobRow = BoltFixtures.Listing("ctr-large-content-bulk.txt", tabs: true).Single();
            var blob = db.Root.GetBucketPath("v1", "bulk", "content", "blob", blobRow[0])!;
            var labels = blob.GetBucket("labels")!;
            Assert.False(labels.IsInline);
            Assert.Equal(BoltFixtures.Labels(blobRow[3]), labels.Pairs.ToDictionary(p => p.KeyString, p => p.ValueString));
            Assert.Equal(new string('x', 4069), labels.GetString("overflow.example.com/big"));

            var leases = db.Root.GetBucketPath("v1", "bulk", "leases")!;
            var rows = BoltFixtures.Listing("ctr-large-leases-bulk.txt");
            Assert.Equal(300, rows.Count);
            Assert.Equal(rows.Select(r => r[0]), leases.Buckets.Select(b => b.NameString));
            foreach (var row in rows)
                Assert.Equal(BoltFixtures.Labels(row[2]), LabelsOf(leases.GetBucket(row[0])));
        }

        private static void AssertSorted(IEnumerable<byte[]> keys)
        {
            byte[]? previous = null;
            foreach (var key in keys)
            {
                if (previous != null) Assert.True(BoltBytes.Compare(previous, key) < 0);
                previous = key;
            }
        }
    }
}
