using System.Collections.Generic;
using System.IO;

namespace ImageTools.Stores.Docker
{
    /// <summary>Finds what nothing in a Docker data root uses, or what points nowhere. Reads only.</summary>
    internal static class DockerOrphanFinder
    {
        public static IEnumerable<DockerOrphan> Find(DockerRoot root, OverlayScanner scanner)
        {
            foreach (var dir in scanner.Scan())
            {
                if (dir.Kind == OverlayDirectoryKind.Orphan)
                    yield return Sized(root, new DockerOrphan(DockerOrphanKind.UnreferencedDirectory, dir.Path, dir.Id,
                        "no layer (layerdb cache-id) and no container (layerdb/mounts mount-id or init-id) references it"));
                else if (dir.Kind == OverlayDirectoryKind.Removing)
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
                    $"layerdb/mounts/{c.Id} has no containers/{c.Id} folder; its directories {c.MountId} and {c.InitId} belong to no container"));
            foreach (var (shortName, target) in scanner.DanglingLinks)
                yield return new DockerOrphan(DockerOrphanKind.DanglingLink, Path.Combine(root.Location, "overlay2", "l", shortName), shortName,
                    $"it points at {target}, which does not exist") { StorePath = root.Location };
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
