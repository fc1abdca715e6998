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
            string root = Path.GetFullPath(item.StorePath).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
            string target = Path.GetFullPath(item.Path);
            if (!target.StartsWith(root, StringComparison.Ordinal))
                throw new ImageToolsException(ErrorId.UnsafeEntryPath, $"{target} is not inside registry storage {item.StorePath}; not removing it.", target, item.StorePath);
            var folders = new List<string> { target };
            if (item.Kind == RegistryGarbageKind.Manifest && item.Digest != null)
            {
                // _manifests/revisions/<alg>/<hex> -> _manifests/tags/*/index/<alg>/<hex> (as the registry's vacuum does)
                string manifests = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(target)!)!)!;
                string tags = Path.Combine(manifests, "tags");
                if (Directory.Exists(tags))
                    foreach (var tagDir in Directory.EnumerateDirectories(tags))
                    {
                        string entry = RegistryLayout.DigestDirectory(Path.Combine(tagDir, "index"), item.Digest);
                        if (Directory.Exists(entry)) folders.Add(entry);
                    }
            }
            return folders;
        }

        /// <summary>Deletes the candidate. A manifest that a tag points at again is refused (the registry was not stopped?).</summary>
        public static void Remove(RegistryGarbage item)
        {
            var folders = FoldersToDelete(item);
            if (item.Kind == RegistryGarbageKind.Manifest && item.Digest != null)
                foreach (var f in folders)
                {
                    // <tag>/index/<alg>/<hex>: refuse when <tag>/current names this manifest.
                    string tagDir = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(f)!)!)!;
                    if (!string.Equals(Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(f)!)!), "index", StringComparison.Ordinal)) continue;
                    string current = Path.Combine(tagDir, "current", "link");
                    if (File.Exists(current) && TryRead(current) == item.Digest)
                        throw new ImageToolsException(ErrorId.InvalidLink,
                            $"Tag {Path.GetFileName(tagDir)} of {item.Repository} points at {item.Digest} now ({current}); not removing it. Stop the registry before collecting garbage.",
                            current, item.StorePath);
                }
            foreach (var folder in folders)
            {
                if (!Directory.Exists(folder)) continue;
                Directory.Delete(folder, recursive: true);
                if (item.Kind == RegistryGarbageKind.Blob) RemoveIfEmpty(Path.GetDirectoryName(folder)!);
            }
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
