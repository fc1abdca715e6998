using System.Collections.Generic;
using System.Linq;
using ImageTools.Oci;

namespace ImageTools.Export
{
    /// <summary>Each image leaves once, and a name never leaves with two different images.</summary>
    internal static class SaveEntries
    {
        /// <summary>
        /// Merges the entries that would write the same image (the same root, or with one platform saved the same
        /// manifest, however many names, roots or stores selected it; their names are kept together), then returns
        /// the error for a name that two different images still carry, or null.
        /// </summary>
        public static ImageToolsException? Deduplicate(List<SaveEntry> entries, SaveOptions options)
        {
            var byWritten = new Dictionary<Digest, SaveEntry>();
            for (int i = 0; i < entries.Count; i++)
            {
                var key = WrittenRoot(entries[i], options);
                if (byWritten.TryGetValue(key, out var first))
                {
                    foreach (var n in entries[i].Names) first.AddName(n);
                    entries.RemoveAt(i--);
                }
                else byWritten[key] = entries[i];
            }
            foreach (var group in entries.SelectMany(e => e.Names.Select(n => (Name: n, Entry: e))).GroupBy(x => x.Name))
            {
                var holders = group.Select(x => x.Entry).Distinct().ToList();
                if (holders.Count < 2) continue;
                return new ImageToolsException(ErrorId.NameConflict,
                    $"'{group.Key.FamiliarName}' would name {holders.Count} different images: " +
                    string.Join(" and ", holders.Select(h => $"{h.Label} ({h.Root.Digest} in {h.Store.Location})")) +
                    "; select one of them by the name its store records or by digest. Nothing was written.",
                    group.Key.ToString());
            }
            return null;
        }

        /// <summary>What the entry's root becomes: the primary manifest when one platform is saved, else the root itself.</summary>
        private static Digest WrittenRoot(SaveEntry entry, SaveOptions options)
        {
            try
            {
                var plan = SavePlan.Create(entry, options);
                return plan.KeepIndex ? entry.Root.Digest : plan.Primary.Descriptor.Digest;
            }
            catch (ImageToolsException) { return entry.Root.Digest; } // the saver reports it
        }
    }
}
