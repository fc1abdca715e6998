using System;
using System.Collections.Generic;
using System.Linq;
using ImageTools.Content;

namespace ImageTools.Export.Unpack
{
    /// <summary>Wasted space of one image and differences between two, from their merged filesystems.</summary>
    internal static class ImageAnalysis
    {
        public static ImageMeasure Measure(ImageManifestInfo m, MergedFileSystem fs, int top)
        {
            var final = fs.Entries().ToList();
            var finalPaths = new HashSet<string>(final.Select(e => e.Path), StringComparer.Ordinal);
            long finalBytes = final.Where(e => e.TypeValue == TarEntryType.File).Sum(e => e.Size);
            long wasted = fs.Hidden.Sum(h => h.Size);
            var paths = fs.Hidden.GroupBy(h => h.Path, StringComparer.Ordinal)
                .Select(g => new WastedPath
                {
                    Path = g.Key,
                    WastedBytes = g.Sum(h => h.Size),
                    Copies = g.Count(),
                    Layers = g.Select(h => h.Layer).Distinct().OrderBy(i => i).ToArray(),
                    HiddenBy = g.Select(h => h.HiddenBy).Distinct().OrderBy(i => i).ToArray(),
                    Removed = !finalPaths.Contains(g.Key),
                })
                .OrderByDescending(w => w.WastedBytes).ThenBy(w => w.Path, StringComparer.Ordinal)
                .Take(Math.Max(0, top)).ToArray();
            return new ImageMeasure
            {
                ImageName = m.ImageName,
                Platform = m.Platform,
                ManifestDigest = m.Digest,
                LayerCount = fs.LayerCount,
                CompressedBytes = m.LayersSize,
                TotalBytes = fs.TotalFileBytes,
                FinalBytes = finalBytes,
                WastedBytes = wasted,
                Efficiency = fs.TotalFileBytes == 0 ? 1.0 : Math.Round(1.0 - (double)wasted / fs.TotalFileBytes, 6),
                FileCount = final.Count(e => e.TypeValue == TarEntryType.File),
                WastedPaths = paths,
            };
        }

        public static IEnumerable<ImageDifference> Compare(IEnumerable<FileSystemEntry> reference, IEnumerable<FileSystemEntry> difference)
        {
            var left = reference.ToDictionary(e => e.Path, StringComparer.Ordinal);
            var right = difference.ToDictionary(e => e.Path, StringComparer.Ordinal);
            var all = new SortedSet<string>(left.Keys, StringComparer.Ordinal);
            all.UnionWith(right.Keys);
            foreach (var path in all)
            {
                left.TryGetValue(path, out var a);
                right.TryGetValue(path, out var b);
                if (a == null) { yield return new ImageDifference { Path = path, ChangeValue = ImageChangeKind.Added, DifferenceEntry = b }; continue; }
                if (b == null) { yield return new ImageDifference { Path = path, ChangeValue = ImageChangeKind.Removed, ReferenceEntry = a }; continue; }
                var props = Differences(a, b);
                if (props.Count > 0) yield return new ImageDifference { Path = path, ChangeValue = ImageChangeKind.Changed, Properties = new ValueList(props.ToArray()), ReferenceEntry = a, DifferenceEntry = b };
            }
        }

        private static List<string> Differences(FileSystemEntry a, FileSystemEntry b)
        {
            var props = new List<string>();
            // A file and a hard link to the same content differ only in which name came first.
            bool aFile = a.TypeValue == TarEntryType.File || a.TypeValue == TarEntryType.Hardlink, bFile = b.TypeValue == TarEntryType.File || b.TypeValue == TarEntryType.Hardlink;
            if (a.Type != b.Type && !(aFile && bFile)) props.Add("Type");
            if (a.Size != b.Size) props.Add("Size");
            if (a.ModeValue != b.ModeValue && a.TypeValue != TarEntryType.Symlink) props.Add("Mode");
            if (a.Uid != b.Uid || a.Gid != b.Gid) props.Add("Owner");
            if (aFile && bFile && a.ContentDigest != b.ContentDigest) props.Add("Content");
            if (a.TypeValue == TarEntryType.Symlink && b.TypeValue == TarEntryType.Symlink && a.LinkTarget != b.LinkTarget) props.Add("LinkTarget");
            if (a.DevMajor != b.DevMajor || a.DevMinor != b.DevMinor) props.Add("Device");
            return props;
        }
    }
}
