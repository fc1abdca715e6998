using System;
using System.Collections.Generic;
using System.IO;
using ImageTools.Oci;

namespace ImageTools.Stores.Registry
{
    /// <summary>
    /// Deletes one garbage candidate from registry storage, and the folders that removal leaves empty (the
    /// <c>&lt;2 hex&gt;</c> blob folders), never the fixed structure (<c>blobs/sha256</c>, <c>_layers/sha256</c>, ...).
    /// Nothing is deleted through a symlink: every folder from the storage root down to what is deleted must be a
    /// plain folder inside the storage (PathOutsideStore otherwise).
    /// </summary>
    public static class RegistryGarbageRemover
    {
        /// <summary>The folders removing <paramref name="item"/> deletes, checked to be inside its store.</summary>
        public static List<string> FoldersToDelete(RegistryGarbage item)
        {
            var room = new RegistryRoom(item.StorePath);
            string target = TargetInsideStore(room, item);
            return FoldersToDelete(item, target, TagsListing(room, item, target));
        }

        /// <summary>Deletes the candidate. A manifest that a tag points at again is refused (the registry was not stopped?).</summary>
        public static void Remove(RegistryGarbage item)
        {
            var room = new RegistryRoom(item.StorePath);
            string target = TargetInsideStore(room, item);
            var tags = TagsListing(room, item, target);
            foreach (var tagDir in tags) RefuseIfTagPointsAt(room, item, tagDir);
            var folders = FoldersToDelete(item, target, tags);
            foreach (var folder in folders) room.RequireNoSymlinkOnTheWay(folder);
            foreach (var folder in folders)
            {
                if (!Directory.Exists(folder)) continue;
                Directory.Delete(folder, recursive: true);
                if (item.KindValue == RegistryGarbageKind.Blob) RemoveIfEmpty(Path.GetDirectoryName(folder)!);
            }
        }

        private static string TargetInsideStore(RegistryRoom room, RegistryGarbage item)
        {
            string target = Path.GetFullPath(item.Path);
            room.RequireNoSymlinkOnTheWay(target);
            return target;
        }

        /// <summary>
        /// For a manifest revision (<c>_manifests/revisions/&lt;alg&gt;/&lt;hex&gt;</c>), the tag folders whose index lists
        /// it (<c>_manifests/tags/&lt;tag&gt;/index/&lt;alg&gt;/&lt;hex&gt;</c>): those entries go with it, as the registry's vacuum does.
        /// </summary>
        private static List<string> TagsListing(RegistryRoom room, RegistryGarbage item, string revision)
        {
            var tags = new List<string>();
            if (item.KindValue != RegistryGarbageKind.Manifest || item.DigestValue == null) return tags;
            string manifests = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(revision)!)!)!;
            string tagsDir = Path.Combine(manifests, "tags");
            if (!room.IsFolder(tagsDir, e => throw e)) return tags;
            foreach (var tagDir in room.Folders(tagsDir, e => throw e))
                if (Directory.Exists(TagIndexEntry(tagDir, item.DigestValue))) tags.Add(tagDir);
            return tags;
        }

        private static string TagIndexEntry(string tagDir, Digest digest) => RegistryLayout.DigestDirectory(Path.Combine(tagDir, "index"), digest);

        private static List<string> FoldersToDelete(RegistryGarbage item, string target, List<string> tagsListing)
        {
            var folders = new List<string> { target };
            foreach (var tagDir in tagsListing) folders.Add(TagIndexEntry(tagDir, item.DigestValue!));
            return folders;
        }

        /// <summary>Refuses when the tag points at the manifest now, or when its current link cannot be read to tell.</summary>
        private static void RefuseIfTagPointsAt(RegistryRoom room, RegistryGarbage item, string tagDir)
        {
            string current = Path.Combine(tagDir, "current", "link");
            Digest? now;
            try { now = room.IsReadableFile(current, "Link") ? RegistryLinks.Read(room, current) : null; }
            catch (ImageToolsException e)
            {
                throw new ImageToolsException(e.ErrorId,
                    $"Not removing manifest {item.Digest} of {item.Repository}: tag {Path.GetFileName(tagDir)} lists it and its current link cannot be read: {e.Message}", current, item.StorePath, e);
            }
            if (now == item.DigestValue)
                throw new ImageToolsException(ErrorId.InvalidLink,
                    $"Tag {Path.GetFileName(tagDir)} of {item.Repository} points at {item.Digest} now ({current}); not removing it. Stop the registry before collecting garbage.",
                    current, item.StorePath);
        }

        private static void RemoveIfEmpty(string dir)
        {
            using var e = Directory.EnumerateFileSystemEntries(dir).GetEnumerator();
            if (!e.MoveNext()) Directory.Delete(dir);
        }
    }
}
