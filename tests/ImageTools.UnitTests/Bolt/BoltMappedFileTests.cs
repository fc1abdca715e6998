using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using ImageTools.Bolt;
using ImageTools.Stores.Containerd;
using Xunit;

namespace ImageTools.UnitTests.Bolt
{
    /// <summary>
    /// Open(path) maps the file on Linux: it must read exactly what a copy in memory reads, also when the resident
    /// pages are trimmed during the walk, and a commit made while a reader ran must make it read again.
    /// </summary>
    public class BoltMappedFileTests : IDisposable
    {
        private const int PageSize = 4096;
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "imagetools-boltmap-" + Guid.NewGuid().ToString("N"));

        public BoltMappedFileTests() => Directory.CreateDirectory(_dir);

        public void Dispose() => Directory.Delete(_dir, true);

        /// <summary>Every bucket path and pair, depth first, as text.</summary>
        private static List<string> Dump(BoltDatabase db)
        {
            var lines = new List<string>();
            foreach (var b in db.Root.Descendants())
            {
                lines.Add("B " + b.Path + " seq=" + b.Sequence);
                foreach (var p in b.EnumeratePairs()) lines.Add("P " + b.Path + " " + BoltBytes.Describe(p.Key) + "=" + Convert.ToBase64String(p.Value.ToArray()));
            }
            return lines;
        }

        [Fact]
        public void A_mapped_file_reads_the_same_as_a_copy_in_memory_even_when_trimmed_after_every_page()
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux)) return;
            var bytes = BoltFixtures.LargeMetaDb();
            string path = Path.Combine(_dir, "meta.db");
            File.WriteAllBytes(path, bytes);
            var expected = Dump(BoltDatabase.FromBytes(bytes, "copy"));
            long saved = BoltMappedFile.TrimBytes;
            BoltMappedFile.TrimBytes = PageSize;
            try
            {
                var mapped = BoltDatabase.Open(path);
                Assert.Equal(expected, Dump(mapped));
                Assert.Equal(BoltDatabase.FromBytes(bytes, "copy").Check().ToString(), mapped.Check().ToString());
                Assert.Equal(bytes.Length, mapped.FileLength);
            }
            finally
            {
                BoltMappedFile.TrimBytes = saved;
            }
        }

        /// <summary>Writes a valid copy of the older meta page with the next txid in place, as a bbolt commit ends.</summary>
        private static void Commit(string path)
        {
            var data = File.ReadAllBytes(path);
            ulong tx0 = BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(16 + 48));
            ulong tx1 = BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(PageSize + 16 + 48));
            int newer = tx1 > tx0 ? 1 : 0, older = 1 - newer;
            var page = data.AsSpan(newer * PageSize, PageSize).ToArray();
            BinaryPrimitives.WriteUInt64LittleEndian(page.AsSpan(16 + 48), Math.Max(tx0, tx1) + 1);
            BinaryPrimitives.WriteUInt64LittleEndian(page.AsSpan(16 + 56), Fnv64a(page.AsSpan(16, 56)));
            BinaryPrimitives.WriteUInt64LittleEndian(page.AsSpan(0), (ulong)older); // the page header's id
            using var f = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
            f.Position = older * PageSize;
            f.Write(page, 0, page.Length);
        }

        private static ulong Fnv64a(ReadOnlySpan<byte> bytes)
        {
            ulong h = 14695981039346656037UL;
            foreach (byte b in bytes) { h ^= b; h *= 1099511628211UL; }
            return h;
        }

        [Fact]
        public void HasChanged_sees_a_commit_made_after_the_open()
        {
            string path = Path.Combine(_dir, "meta.db");
            File.Copy(BoltFixtures.MetaDbPath, path);
            var db = BoltDatabase.Open(path);
            Assert.False(db.HasChanged());
            Commit(path);
            Assert.True(db.HasChanged());
            var again = BoltDatabase.Open(path);
            Assert.Equal(db.TxId + 1, again.TxId);
            Assert.False(again.HasChanged());
            Assert.False(BoltDatabase.FromBytes(File.ReadAllBytes(path), "copy").HasChanged());
        }

        [Fact]
        public void A_containerd_read_that_overlaps_a_commit_runs_again_on_the_new_transaction()
        {
            string metaDir = Path.Combine(_dir, "io.containerd.metadata.v1.bolt");
            Directory.CreateDirectory(metaDir);
            string path = Path.Combine(metaDir, "meta.db");
            File.Copy(BoltFixtures.MetaDbPath, path);
            var metadata = ContainerdMetadata.Open(ContainerdRoot.Resolve(_dir));
            var txids = new List<ulong>();
            bool found = metadata.Read(_ =>
            {
                txids.Add(metadata.Database.TxId);
                if (txids.Count == 1) Commit(path);
                return metadata.Namespace("alpha") != null;
            }, _ => { });
            Assert.Equal(2, txids.Count);
            Assert.Equal(txids[0] + 1, txids[1]);
            Assert.True(found);
        }
    }
}
