using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace ImageTools.Stores.Docker
{
    /// <summary>
    /// Finds what nothing in a Docker data root uses, or what points nowhere. Reads only.
    /// The marking is only as good as what says what is in use, so: when any of it could not be read or trusted (the
    /// root's <see cref="DockerRoot.UsageGaps"/>, a driver directory or short link that leads out of the root), nothing
    /// is offered; when a layer or container names a directory that does not exist, the directories nothing references
    /// may be the ones it lost, so those (UnreferencedDirectory) are not offered and the rest is.
    /// </summary>
    internal static class DockerOrphanFinder
    {
        /// <summary>The orphans, and in <paramref name="incomplete"/> what kept the marking from being complete (empty: complete).</summary>
        public static List<DockerOrphan> Find(DockerRoot root, OverlayScanner scanner, out List<string> incomplete)
        {
            var found = Candidates(root, scanner).ToList();
            incomplete = new List<string>(root.UsageGaps);
            foreach (var e in scanner.Errors) if (IsGap(e)) incomplete.Add(e.Message);
            if (incomplete.Count > 0) return new List<DockerOrphan>();
            var lost = MissingDirectories(root).ToList();
            if (lost.Count == 0) return found;
            incomplete.AddRange(lost);
            return found.Where(o => o.KindValue != DockerOrphanKind.UnreferencedDirectory).ToList();
        }

        /// <summary>True for a scanner problem that hides what a driver directory is (one that leads out of the root, or cannot be read).</summary>
        public static bool IsGap(ImageToolsException e) =>
            e.ErrorId == ErrorId.PathOutsideStore || e.ErrorId == ErrorId.StoreUnreadable || e.ErrorId == ErrorId.NotARegularFile;

        /// <summary>Directories a layer or container names that do not exist.</summary>
        private static IEnumerable<string> MissingDirectories(DockerRoot root)
        {
            if (!root.DirectoriesMapped) yield break;
            foreach (var layer in root.Layers)
                if (layer.CacheId != null && !layer.DirectoryExists) yield return $"layer {layer.ChainId}'s cache-id names {layer.OverlayPath}, which does not exist";
            foreach (var c in root.Containers.Concat(root.MountsWithoutContainer))
                if (c.MountId != null && !Directory.Exists(root.DriverDirectory(c.MountId))) yield return $"container {c.Id}'s mount-id names {root.DriverDirectory(c.MountId)}, which does not exist";
        }

        private static IEnumerable<DockerOrphan> Candidates(DockerRoot root, OverlayScanner scanner)
        {
            foreach (var dir in scanner.Scan())
            {
                if (dir.KindValue == OverlayDirectoryKind.Orphan)
                    yield return Sized(root, new DockerOrphan(DockerOrphanKind.UnreferencedDirectory, dir.Path, dir.Id,
                        "no layer (layerdb cache-id) and no container (layerdb/mounts mount-id or init-id) references it"));
                else if (dir.KindValue == OverlayDirectoryKind.Removing)
                    yield return Sized(root, new DockerOrphan(DockerOrphanKind.RemovingDirectory, dir.Path, dir.Id,
                        "Docker renamed it to delete it and did not finish"));
            }
            foreach (var path in root.RemovingLayers)
                yield return Sized(root, new DockerOrphan(DockerOrphanKind.RemovingLayer, path, Path.GetFileName(path),
                    "a layerdb entry Docker started to delete and did not finish"));
            if (root.DirectoriesMapped)
            {
                foreach (var layer in root.Layers)
                    if (layer.CacheId != null && !layer.DirectoryExists)
                        yield return new DockerOrphan(DockerOrphanKind.MissingLayerDirectory, layer.LayerDbPath, layer.ChainId.ToString(),
                            $"its cache-id names {layer.OverlayPath}, which does not exist") { StorePath = root.Location };
                foreach (var c in root.Containers)
                    if (c.MountId != null && !Directory.Exists(root.DriverDirectory(c.MountId)))
                        yield return new DockerOrphan(DockerOrphanKind.BrokenMount, Path.Combine(root.ImageRoot, "layerdb", "mounts", c.Id), c.Id,
                            $"container {c.Name ?? c.Id}'s mount-id names {root.DriverDirectory(c.MountId)}, which does not exist") { StorePath = root.Location };
            }
            foreach (var c in root.MountsWithoutContainer)
                yield return Sized(root, new DockerOrphan(DockerOrphanKind.BrokenMount, Path.Combine(root.ImageRoot, "layerdb", "mounts", c.Id), c.Id,
                    $"layerdb/mounts/{c.Id} has no container (no containers/{c.Id}/config.v2.json); its directories {c.MountId} and {c.InitId} belong to no container"));
            foreach (var dir in root.ContainerFoldersWithoutConfig)
                yield return Sized(root, new DockerOrphan(DockerOrphanKind.ContainerFolderWithoutConfig, dir, Path.GetFileName(dir),
                    "it has no config.v2.json: dockerd skips it when it loads its containers"));
            foreach (var (shortName, target) in scanner.DanglingLinks)
                yield return Sized(root, new DockerOrphan(DockerOrphanKind.DanglingLink, Path.Combine(root.Location, "overlay2", "l", shortName), shortName,
                    $"it points at {target}, which does not exist"));
        }

        private static DockerOrphan Sized(DockerRoot root, DockerOrphan o)
        {
            DiskUsage.Measure(o.Path, out long bytes, out long disk);
            o.Size = bytes;
            o.DiskUsage = disk;
            o.StorePath = root.Location;
            return o;
        }
    }
}
