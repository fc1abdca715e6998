using System;
using System.Formats.Tar;
using System.IO;
using System.Linq;
using System.Text;
using ImageTools.Content;
using TarReader = ImageTools.Content.TarReader;
using TarEntry = ImageTools.Content.TarEntry;
using TarEntryType = System.Formats.Tar.TarEntryType;
using Xunit;

namespace ImageTools.UnitTests.Content
{
    /// <summary>Archives written by .NET's own TarWriter (an independent implementation) read back by ours.</summary>
    public class TarReaderTests
    {
        private static byte[] Write(TarEntryFormat format, Action<TarWriter> body)
        {
            var ms = new MemoryStream();
            using (var w = new TarWriter(ms, format, leaveOpen: true)) body(w);
            return ms.ToArray();
        }

        private static TarEntry[] ReadAll(byte[] tar, out TarReader reader)
        {
            reader = new TarReader(new MemoryStream(tar), "test.tar");
            var list = new System.Collections.Generic.List<TarEntry>();
            TarEntry? e;
            while ((e = reader.Next()) != null) list.Add(e);
            return list.ToArray();
        }

        [Theory]
        [InlineData(TarEntryFormat.Pax)]
        [InlineData(TarEntryFormat.Gnu)]
        public void ReadsLongAndNonAsciiNames(TarEntryFormat format)
        {
            string longName = string.Join("/", Enumerable.Repeat("directory-name", 12)) + "/file.txt";
            string unicode = "usr/share/doc/naïve-café-日本語.txt";
            var tar = Write(format, w =>
            {
                foreach (var name in new[] { longName, unicode })
                {
                    var e = format == TarEntryFormat.Pax ? (System.Formats.Tar.TarEntry)new PaxTarEntry(TarEntryType.RegularFile, name) : new GnuTarEntry(TarEntryType.RegularFile, name);
                    e.DataStream = new MemoryStream(Encoding.UTF8.GetBytes("hello"));
                    w.WriteEntry(e);
                }
                var link = format == TarEntryFormat.Pax ? (System.Formats.Tar.TarEntry)new PaxTarEntry(TarEntryType.SymbolicLink, "link") : new GnuTarEntry(TarEntryType.SymbolicLink, "link");
                link.LinkName = longName;
                w.WriteEntry(link);
            });
            var entries = ReadAll(tar, out var reader);
            Assert.Equal(new[] { longName, unicode, "link" }, entries.Select(e => e.Name));
            Assert.Equal(5, entries[0].Size);
            Assert.Equal(longName, entries[2].LinkName);
            Assert.Equal(ImageTools.Content.TarEntryType.Symlink, entries[2].Type);
            Assert.False(reader.MissingEndOfArchive);
        }

        [Fact]
        public void ReadsPaxXattrs()
        {
            var tar = Write(TarEntryFormat.Pax, w =>
            {
                var e = new PaxTarEntry(TarEntryType.RegularFile, "etc/x.conf",
                    new System.Collections.Generic.Dictionary<string, string> { ["SCHILY.xattr.user.imagetools"] = "yes" });
                e.DataStream = new MemoryStream(new byte[3]);
                w.WriteEntry(e);
            });
            var entry = ReadAll(tar, out _).Single();
            Assert.Equal("yes", entry.Xattrs["user.imagetools"]);
        }

        [Fact]
        public void ToleratesMissingEndOfArchiveBlocks()
        {
            var tar = Write(TarEntryFormat.Ustar, w =>
            {
                var e = new UstarTarEntry(TarEntryType.RegularFile, "a.txt") { DataStream = new MemoryStream(new byte[600]) };
                w.WriteEntry(e);
            });
            var cut = tar.AsSpan(0, 512 + 1024).ToArray(); // header + padded data, no end blocks
            var entries = ReadAll(cut, out var reader);
            Assert.Single(entries);
            Assert.True(reader.MissingEndOfArchive);
        }

        [Fact]
        public void ReportsTruncationInsideData()
        {
            var tar = Write(TarEntryFormat.Ustar, w =>
            {
                var e = new UstarTarEntry(TarEntryType.RegularFile, "a.txt") { DataStream = new MemoryStream(new byte[2000]) };
                w.WriteEntry(e);
                w.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, "b.txt") { DataStream = new MemoryStream(new byte[10]) });
            });
            var reader = new TarReader(new MemoryStream(tar, 0, 1200), "cut.tar");
            Assert.NotNull(reader.Next());
            var ex = Assert.Throws<ImageToolsException>(() => reader.Next());
            Assert.Equal(ErrorId.ArchiveTruncated, ex.ErrorId);
            Assert.Contains("a.txt", ex.Message);
        }

        [Fact]
        public void ReadsUstarNamesSplitIntoPrefixAndName()
        {
            // a ustar name longer than 100 bytes is stored as prefix (155 bytes) + '/' + name: both halves are the name
            string longName = "usr/share/" + new string('f', 95) + ".txt";   // prefix "usr/share", name the file
            var tar = Write(TarEntryFormat.Ustar, w =>
                w.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, longName) { DataStream = new MemoryStream(new byte[3]) }));
            Assert.True(longName.Length > 100);
            Assert.NotEqual(0, tar[345]); // the prefix field holds the first part
            var entries = ReadAll(tar, out _);
            Assert.Equal(longName, Assert.Single(entries).Name);
        }

        [Fact]
        public void ReportsADamagedHeader()
        {
            var tar = Write(TarEntryFormat.Ustar, w =>
                w.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, "a.txt") { DataStream = new MemoryStream(new byte[10]) }));
            tar[10] ^= 0x55;
            var ex = Assert.Throws<ImageToolsException>(() => new TarReader(new MemoryStream(tar), "bad.tar").Next());
            Assert.Equal(ErrorId.ArchiveCorrupt, ex.ErrorId);
            Assert.Contains("checksum", ex.Message);
        }

        [Fact]
        public void ReadsBase256Sizes()
        {
            var block = new byte[512];
            block[124] = 0x80;
            block[135] = 0x10;
            Assert.Equal(16, TarHeaderAccess.ParseNumber(block, 124, 12));
        }
    }

    internal static class TarHeaderAccess
    {
        public static long ParseNumber(byte[] block, int offset, int length) =>
            (long)typeof(ImageTools.Content.TarEntry).Assembly.GetType("ImageTools.Content.TarHeader")!
                .GetMethod("ParseNumber", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
                .Invoke(null, new object[] { block, offset, length, "size" })!;
    }
}
