using System;
using System.Buffers.Binary;
using System.Linq;
using System.Runtime.InteropServices;
using ImageTools.Bolt;
using Xunit;

namespace ImageTools.UnitTests.Bolt
{
    /// <summary>
    /// Damaged copies of the real files: every damage gives a clear BoltFormatException (or a fallback), never a hang
    /// or a crash. Pages are read lazily, so damage past the metas and the root page is found when the damaged page is
    /// reached: these tests open and then walk everything (Check), or reach the page by a search.
    /// </summary>
    public class BoltDamageTests
    {
        private const int PageSize = 4096;
        private const int MetaChecksumOffset = 16 + 56;
        private const int MetaMagicOffset = 16;

        private static BoltFormatException Fails(byte[] data, BoltErrorKind kind, params string[] messageParts)
        {
            var e = Assert.Throws<BoltFormatException>(() => BoltDatabase.FromBytes(data, "damaged-meta.db").Check());
            Assert.Equal(kind, e.Kind);
            Assert.StartsWith("damaged-meta.db: ", e.Message);
            foreach (var part in messageParts) Assert.Contains(part, e.Message);
            return e;
        }

        /// <summary>The large fixture and a branch page reached in it (the root of a bucket whose tree has several levels).</summary>
        private static (byte[] Data, BoltDatabase Db, ulong Branch) LargeWithBranch()
        {
            var data = BoltFixtures.LargeMetaDb();
            var db = BoltDatabase.FromBytes(data, "large");
            var bucket = db.Root.Descendants().Prepend(db.Root)
                .First(b => b.RootPageId != 0 && data[(int)b.RootPageId * PageSize + 8] == 0x01);
            return (data, db, bucket.RootPageId);
        }

        private static void SetBranchChild(byte[] data, ulong branch, int element, ulong child) =>
            BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan((int)branch * PageSize + 16 + element * 16 + 8), child);

        [Theory]
        [InlineData(0)]
        [InlineData(1)]
        public void A_bad_checksum_in_one_meta_falls_back_to_the_other(int broken)
        {
            var data = BoltFixtures.MetaDb();
            data[broken * PageSize + MetaChecksumOffset] ^= 0xFF;
            var db = BoltDatabase.FromBytes(data, "one-bad-meta");
            Assert.Equal(1 - broken, db.Meta.Index);
            Assert.False((broken == 0 ? db.Meta0 : db.Meta1).IsValid);
            Assert.Contains("checksum mismatch", (broken == 0 ? db.Meta0 : db.Meta1).Problem);
            Assert.NotNull(db.Root.GetBucketPath("v1", "alpha", "leases"));
        }

        [Fact]
        public void A_wiped_page_zero_still_opens_with_the_page_size_found_from_page_one()
        {
            var data = BoltFixtures.MetaDb();
            Array.Clear(data, 0, PageSize);
            var db = BoltDatabase.FromBytes(data, "wiped-page-0");
            Assert.Equal(1, db.Meta.Index);
            Assert.Equal(PageSize, db.PageSize);
        }

        [Fact]
        public void Both_metas_invalid_is_a_clear_error()
        {
            var data = BoltFixtures.MetaDb();
            data[MetaChecksumOffset] ^= 1;
            data[PageSize + MetaChecksumOffset] ^= 1;
            var e = Fails(data, BoltErrorKind.InvalidMeta, "both meta pages are invalid", "meta page 0", "meta page 1", "checksum");
            Assert.True(e.MayBeTransient);
        }

        [Fact]
        public void Bad_magic_is_not_a_bbolt_file()
        {
            var data = BoltFixtures.MetaDb();
            data[MetaMagicOffset] ^= 0x55;
            data[PageSize + MetaMagicOffset] ^= 0x55;
            Assert.False(Fails(data, BoltErrorKind.NotBoltFile, "not a bbolt database", "bad magic").MayBeTransient);
            Fails(new byte[8192], BoltErrorKind.NotBoltFile, "bad magic");
            Fails(new byte[0], BoltErrorKind.NotBoltFile, "0 bytes");
        }

        [Fact]
        public void Another_format_version_is_reported()
        {
            var data = BoltFixtures.MetaDb();
            data[MetaMagicOffset + 4] = 3;
            data[PageSize + MetaMagicOffset + 4] = 3;
            Fails(data, BoltErrorKind.UnsupportedVersion, "version 3");
        }

        [Theory]
        [InlineData(65536)]
        [InlineData(5000)]
        [InlineData(40)]
        public void A_truncated_file_is_reported(int length)
        {
            var data = BoltFixtures.MetaDb().Take(length).ToArray();
            var e = Fails(data, BoltErrorKind.Truncated);
            Assert.Contains(length.ToString(), e.Message);
        }

        [Fact]
        public void A_branch_element_pointing_to_its_own_page_is_a_cycle()
        {
            var (data, _, branch) = LargeWithBranch();
            SetBranchChild(data, branch, 1, branch);
            Fails(data, BoltErrorKind.Cycle, $"page {branch} is reached a second time", $"branch page {branch}");
        }

        [Fact]
        public void A_nested_bucket_whose_root_is_an_ancestor_page_is_a_cycle()
        {
            var data = BoltFixtures.MetaDb();
            var db = BoltDatabase.FromBytes(data, "x");
            var parent = db.Root.GetBucketPath("v1", "alpha")!;
            var child = parent.GetBucket("leases")!;
            Assert.True(MemoryMarshal.TryGetArray(child.Name, out var name));
            int valueStart = name.Offset + name.Count; // a leaf value follows its key
            Assert.Equal(child.RootPageId, BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(valueStart)));
            BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(valueStart), parent.RootPageId);
            Fails(data, BoltErrorKind.Cycle, $"page {parent.RootPageId} is reached a second time");
        }

        [Fact]
        public void Page_ids_out_of_range_are_reported()
        {
            var (data, db, branch) = LargeWithBranch();
            SetBranchChild(data, branch, 0, db.Meta.HighWaterPageId);
            Fails(data, BoltErrorKind.PageOutOfRange, $"page id {db.Meta.HighWaterPageId}", "high-water mark");
            SetBranchChild(data, branch, 0, ulong.MaxValue);
            Fails(data, BoltErrorKind.PageOutOfRange, "out of range");
        }

        [Fact]
        public void Pages_of_the_wrong_type_are_reported()
        {
            var (data, db, branch) = LargeWithBranch();
            SetBranchChild(data, branch, 0, 1);
            Fails(data, BoltErrorKind.WrongPageType, "meta page");
            SetBranchChild(data, branch, 0, db.Meta.FreelistPageId);
            Fails(data, BoltErrorKind.WrongPageType, "freelist", "expected a branch or leaf page");
        }

        [Fact]
        public void Damage_is_found_by_a_search_that_reaches_it_and_not_before()
        {
            var (data, db, branch) = LargeWithBranch();
            SetBranchChild(data, branch, 0, 1);
            var damaged = BoltDatabase.FromBytes(data, "damaged-meta.db"); // lazily: opening does not reach the page
            var bucket = damaged.Root.Descendants().First(b => b.RootPageId == branch);
            var e = Assert.Throws<BoltFormatException>(() => bucket.Get(new byte[] { 0 })); // sorts first: element 0
            Assert.Equal(BoltErrorKind.WrongPageType, e.Kind);
            Assert.Contains("meta page", e.Message);
            Assert.Throws<BoltFormatException>(() => bucket.Entries().Count());
            Assert.Throws<BoltFormatException>(() => damaged.Stats);
        }

        [Fact]
        public void A_damaged_root_page_is_found_at_open()
        {
            var data = BoltFixtures.MetaDb();
            var db = BoltDatabase.FromBytes(data, "x");
            data[(int)db.Meta.RootPageId * PageSize + 8] = 0x10; // freelist flags
            var e = Assert.Throws<BoltFormatException>(() => BoltDatabase.FromBytes(data, "damaged-meta.db"));
            Assert.Equal(BoltErrorKind.WrongPageType, e.Kind);
            Assert.True(e.MayBeTransient);
        }

        [Fact]
        public void Elements_outside_their_page_are_reported()
        {
            var data = BoltFixtures.MetaDb();
            var db = BoltDatabase.FromBytes(data, "x");
            ulong leaf = db.Root.Descendants().First(b => !b.IsInline && data[(int)b.RootPageId * PageSize + 8] == 0x02 && b.Pairs.Count > 0).RootPageId;
            var bad = (byte[])data.Clone();
            BinaryPrimitives.WriteUInt32LittleEndian(bad.AsSpan((int)leaf * PageSize + 16 + 8), 0x7FFFFFFF); // ksize of element 0
            Fails(bad, BoltErrorKind.CorruptPage, "element 0", $"page {leaf}", "outside the page");
            bad = (byte[])data.Clone();
            BinaryPrimitives.WriteUInt16LittleEndian(bad.AsSpan((int)leaf * PageSize + 10), 0xFFFF); // count
            Fails(bad, BoltErrorKind.CorruptPage, "65535 elements");
        }

        /// <summary>A leaf page of the fixture with at least two elements, the last one a bucket (so that its value is checked too).</summary>
        private static ulong LeafWithLastBucket(byte[] data, BoltDatabase db) =>
            db.Root.Descendants().Where(b => !b.IsInline && data[(int)b.RootPageId * PageSize + 8] == 0x02).Select(b => b.RootPageId)
                .First(p =>
                {
                    int count = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan((int)p * PageSize + 10));
                    return count >= 2 && (data[(int)p * PageSize + 16 + (count - 1) * 16] & 1) == 1;
                });

        [Fact]
        public void Counts_positions_sizes_and_flags_that_bbolt_never_writes_are_reported()
        {
            var data = BoltFixtures.MetaDb();
            ulong leaf = LeafWithLastBucket(data, BoltDatabase.FromBytes(data, "x"));
            int at = (int)leaf * PageSize;
            int count = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(at + 10));
            int last = at + 16 + (count - 1) * 16;

            var bad = (byte[])data.Clone();
            BinaryPrimitives.WriteUInt16LittleEndian(bad.AsSpan(at + 10), (ushort)(count - 1)); // one element fewer
            Fails(bad, BoltErrorKind.CorruptPage, $"page {leaf}", "bbolt writes it right after the element array");

            bad = (byte[])data.Clone();
            bad[last + 8] ^= 0x10; // the last element's key grows by 16 bytes, into its value
            Fails(bad, BoltErrorKind.CorruptPage);

            bad = (byte[])data.Clone();
            bad[last] ^= 0x04; // a leaf flag bbolt does not have
            Fails(bad, BoltErrorKind.CorruptPage, $"element {count - 1} of page {leaf}", "has flags 0x5");

            bad = (byte[])data.Clone();
            BinaryPrimitives.WriteUInt32LittleEndian(bad.AsSpan(at + 16 + 4), BinaryPrimitives.ReadUInt32LittleEndian(bad.AsSpan(at + 16 + 4)) + 1); // pos of element 0
            Fails(bad, BoltErrorKind.CorruptPage, "element 0", "right after the element array");
        }

        [Fact]
        public void Random_damage_gives_a_format_exception_or_a_database_never_anything_else()
        {
            var original = BoltFixtures.LargeMetaDb();
            var db = BoltDatabase.FromBytes(original, "large");
            int usedBytes = (int)db.Meta.HighWaterPageId * PageSize;
            var random = new Random(20240102);
            for (int round = 0; round < 400; round++)
            {
                var data = (byte[])original.Clone();
                int flips = 1 + random.Next(8);
                for (int i = 0; i < flips; i++)
                {
                    int at = 2 * PageSize + random.Next(usedBytes - 2 * PageSize);
                    at -= at % PageSize < 16 || random.Next(2) == 0 ? 0 : random.Next(at % PageSize - 15); // favour headers/elements
                    data[at] = (byte)random.Next(256);
                }
                try { BoltDatabase.FromBytes(data, "fuzz").Check(); }
                catch (BoltFormatException) { }
                // and the same damage met by searches and lazy walks instead of Check
                try
                {
                    var fuzzed = BoltDatabase.FromBytes(data, "fuzz");
                    foreach (var bucket in fuzzed.Root.Descendants())
                        foreach (var e in bucket.Entries())
                        {
                            if (e.IsBucket) bucket.GetBucket(e.Key.Span)?.Get("x");
                            else bucket.GetMemory(e.Key.Span);
                        }
                    fuzzed.Root.GetBucketPath("v1", "bulk", "content", "blob")?.GetBucket("sha256:0");
                }
                catch (BoltFormatException) { }
            }
        }
    }
}
