using System;
using System.Collections.Generic;
using System.IO;
using ImageTools.Oci;

namespace ImageTools.Stores.Registry
{
    /// <summary>
    /// Deletes one garbage candidate from registry storage, and the folders that removal leaves empty (the
    /// <c>&lt;2 hex&gt;</c> blob folders), never the fixed structure (<c>blobs/sha256</c>, <c>_layers/sha256</c>, ...).
    /// </summary>
    public static class RegistryGarbageRemover
    {
        /// <summary>The folders removing <paramref name="item"/> deletes, checked to be inside its store.</summary>
        public static List<string> FoldersToDelete(RegistryGarbage item)
        {
            string target = TargetInsideStore(item);
            return FoldersToDelete(item, target, TagsListing(item, target));
        }

        /// <summary>Deletes the candidate. A manifest that a tag points at again is refused (the registry was not stopped?).</summary>
        public static void Remove(RegistryGarbage item)
        {
            string target = TargetInsideStore(item);
            var tags = TagsListing(item, target);
            foreach (var tagDir in tags) RefuseIfTagPointsAt(item, tagDir);
            foreach (var folder in FoldersToDelete(item, target, tags))
            {
                if (!Directory.Exists(folder)) continue;
                Directory.Delete(folder, recursive: true);
                if (item.Kind == RegistryGarbageKind.Blob) RemoveIfEmpty(Path.GetDirectoryName(folder)!);
            }
        }

        private static string TargetInsideStore(RegistryGarbage item)
        {
            string root = Path.GetFullPath(item.StorePath).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
            string target = Path.GetFullPath(item.Path);
            if (!target.StartsWith(root, StringComparison.Ordinal))
                throw new ImageToolsException(ErrorId.UnsafeEntryPath, $"{target} is not inside registry storage {item.StorePath}; not removing it.", target, item.StorePath);
            return target;
        }

        /// <summary>
        /// For a manifest revision (<c>_manifests/revisions/&lt;alg&gt;/&lt;hex&gt;</c>), the tag folders whose index lists
        /// it (<c>_manifests/tags/&lt;tag&gt;/index/&lt;alg&gt;/&lt;hex&gt;</c>): those entries go with it, as the registry's vacuum does.
        /// </summary>
        private static List<string> TagsListing(RegistryGarbage item, string revision)
        {
            var tags = new List<string>();
            if (item.Kind != RegistryGarbageKind.Manifest || item.Digest == null) return tags;
            string manifests = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(revision)!)!)!;
            string tagsDir = Path.Combine(manifests, "tags");
            if (!Directory.Exists(tagsDir)) return tags;
            foreach (var tagDir in Directory.EnumerateDirectories(tagsDir))
                if (Directory.Exists(TagIndexEntry(tagDir, item.Digest))) tags.Add(tagDir);
            return tags;
        }

        private static string TagIndexEntry(string tagDir, Digest digest) => RegistryLayout.DigestDirectory(Path.Combine(tagDir, "index"), digest);

        private static List<string> FoldersToDelete(RegistryGarbage item, string target, List<string> tagsListing)
        {
            var folders = new List<string> { target };
            foreach (var tagDir in tagsListing) folders.Add(TagIndexEntry(tagDir, item.Digest!));
            return folders;
        }

        private static void RefuseIfTagPointsAt(RegistryGarbage item, string tagDir)
        {
            string current = Path.Combine(tagDir, "current", "link");
            if (File.Exists(current) && TryRead(current) == item.Digest)
                throw new ImageToolsException(ErrorId.InvalidLink,
                    $"Tag {Path.GetFileName(tagDir)} of {item.Repository} points at {item.Digest} now ({current}); not removing it. Stop the registry before collecting garbage.",
                    current, item.StorePath);
        }

        private static Digest? TryRead(string link)
        {
            try { return RegistryLinks.Read(link); }
            catch (ImageToolsException) { return null; }
        }

        private static void RemoveIfEmpty(string dir)
        {
            using var e = Directory.EnumerateFileSystemEntries(dir).GetEnumerator();
            if (!e.MoveNext()) Directory.Delete(dir);
        }
    }
}
