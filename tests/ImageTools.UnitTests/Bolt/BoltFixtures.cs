using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;

namespace ImageTools.UnitTests.Bolt
{
    /// <summary>Locates and loads the files made by tests/Fixtures/bolt/make-bolt-fixtures.sh (real containerd output).</summary>
    internal static class BoltFixtures
    {
        private static readonly Lazy<string> DirectoryLazy = new Lazy<string>(() =>
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "tests", "Fixtures", "bolt");
                if (File.Exists(Path.Combine(candidate, "meta.db"))) return candidate;
            }
            throw new DirectoryNotFoundException("tests/Fixtures/bolt not found above " + AppContext.BaseDirectory);
        });

        internal static string Directory => DirectoryLazy.Value;
        internal static string MetaDbPath => Path.Combine(Directory, "meta.db");
        internal static string SnapshotDbPath => Path.Combine(Directory, "metadata.db");
        internal static byte[] MetaDb() => File.ReadAllBytes(MetaDbPath);

        internal static byte[] LargeMetaDb()
        {
            using var gzip = new GZipStream(File.OpenRead(Path.Combine(Directory, "meta-large.db.gz")), CompressionMode.Decompress);
            var memory = new MemoryStream();
            gzip.CopyTo(memory);
            return memory.ToArray();
        }

        /// <summary>The rows of a ctr listing, split on runs of whitespace (or on tabs when <paramref name="tabs"/>), header dropped.</summary>
        internal static List<string[]> Listing(string fileName, bool tabs = false)
        {
            return File.ReadAllLines(Path.Combine(Directory, fileName))
                .Skip(1)
                .Where(line => line.Trim().Length > 0)
                .Select(line => tabs
                    ? line.Split('\t').Where(c => c.Length > 0).Select(c => c.Trim()).ToArray()
                    : line.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries))
                .ToList();
        }

        /// <summary>ctr's label column: "-" or "k=v,k=v".</summary>
        internal static Dictionary<string, string> Labels(string column)
        {
            var labels = new Dictionary<string, string>();
            if (column == "-" || column.Length == 0) return labels;
            foreach (var item in column.Split(','))
            {
                int eq = item.IndexOf('=');
                labels[item.Substring(0, eq)] = item.Substring(eq + 1);
            }
            return labels;
        }
    }
}
