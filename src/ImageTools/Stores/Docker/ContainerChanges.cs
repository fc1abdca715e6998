using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace ImageTools.Stores.Docker
{
    /// <summary>
    /// <c>docker diff</c> offline for an overlay2 container: walks the container's upper directory and compares
    /// each entry with the lower layers (init layer first, then the image's layers, top first), as Docker's
    /// naive diff of the mounted container against its image does. A character device 0:0 is a deletion; an
    /// opaque directory (<c>trusted.overlay.opaque=y</c>) hides everything the lower layers had below it, so what
    /// they had and the upper directory has not is reported deleted. A folder that existed below is reported
    /// changed when something inside it changed, it is opaque, or its mode or owner differ.
    /// </summary>
    internal sealed class ContainerChanges
    {
        private readonly string _upper;
        private readonly string[] _lowers;
        private readonly string _id;
        private readonly List<ContainerChange> _changes = new List<ContainerChange>();

        public ContainerChanges(DockerContainer container)
        {
            if (container.Root.Driver != "overlay2")
                throw new ImageToolsException(ErrorId.DockerRootUnsupported,
                    $"Container {container.Name ?? container.Id} uses the {container.Root.Driver} storage driver; changes are computed from overlay2 upper directories only.",
                    container.Id, container.Root.Location);
            if (container.UpperDir == null || !Directory.Exists(container.UpperDir))
                throw new ImageToolsException(ErrorId.FileNotFound,
                    $"Container {container.Name ?? container.Id} has no upper directory ({container.UpperDir ?? "layerdb/mounts/" + container.Id + "/mount-id is missing"}).",
                    container.Id, container.Root.Location);
            _upper = container.UpperDir;
            _id = container.Id;
            var lowers = new List<string>();
            if (container.InitDir != null) lowers.Add(container.InitDir);
            lowers.AddRange(container.LowerDirs);
            _lowers = lowers.ToArray();
        }

        public List<ContainerChange> Compute()
        {
            Walk("");
            _changes.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
            return _changes;
        }

        private void Walk(string rel)
        {
            string dir = _upper + rel;
            var names = Directory.EnumerateFileSystemEntries(dir).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal).ToList();
            foreach (var name in names)
            {
                string p = rel + "/" + name;
                var st = UnixFile.LStat(_upper + p);
                if (st == null) continue;
                var lower = LowerLookup(p);
                if (st.Value.IsWhiteout)
                {
                    if (lower != null) Add(p, ContainerChangeKind.Deleted, 0, false);
                    continue;
                }
                if (!st.Value.IsDirectory)
                {
                    Add(p, lower != null ? ContainerChangeKind.Changed : ContainerChangeKind.Added, st.Value.Size, false);
                    continue;
                }
                if (lower == null || !lower.Value.IsDirectory)
                {
                    Add(p, lower != null ? ContainerChangeKind.Changed : ContainerChangeKind.Added, 0, true);
                    Walk(p);
                    continue;
                }
                int before = _changes.Count;
                bool opaque = UnixFile.IsOpaque(_upper + p);
                if (opaque)
                {
                    var present = new HashSet<string>(Directory.EnumerateFileSystemEntries(_upper + p).Select(Path.GetFileName), StringComparer.Ordinal);
                    foreach (var child in LowerChildren(p))
                        if (!present.Contains(child)) Add(p + "/" + child, ContainerChangeKind.Deleted, 0, false);
                }
                Walk(p);
                var l = lower.Value;
                bool metaChanged = (st.Value.Mode & 0xFFF) != (l.Mode & 0xFFF) || st.Value.Uid != l.Uid || st.Value.Gid != l.Gid;
                if (_changes.Count > before || opaque || metaChanged) Add(p, ContainerChangeKind.Changed, 0, true);
            }
        }

        private void Add(string path, ContainerChangeKind kind, long size, bool isDir) =>
            _changes.Add(new ContainerChange(_id, path, kind, size, isDir));

        /// <summary>What the lower layers show at a path (overlayfs lookup): null when absent or whited out.</summary>
        private UnixStat? LowerLookup(string p)
        {
            foreach (var lower in _lowers)
            {
                var st = UnixFile.LStat(lower + p);
                if (st != null) return st.Value.IsWhiteout ? (UnixStat?)null : st;
                if (HidesBelow(lower, p)) return null;
            }
            return null;
        }

        /// <summary>True when a layer hides lower layers' <paramref name="p"/>: an ancestor is opaque, a whiteout or not a folder.</summary>
        private static bool HidesBelow(string lower, string p)
        {
            int i = p.LastIndexOf('/');
            while (i > 0)
            {
                string a = p.Substring(0, i);
                var st = UnixFile.LStat(lower + a);
                if (st != null && (!st.Value.IsDirectory || UnixFile.IsOpaque(lower + a))) return true;
                i = a.LastIndexOf('/');
            }
            return false;
        }

        /// <summary>The names the lower layers show inside a folder (merged, whiteouts applied).</summary>
        private IEnumerable<string> LowerChildren(string p)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var hidden = new HashSet<string>(StringComparer.Ordinal);
            var result = new List<string>();
            foreach (var lower in _lowers)
            {
                string dir = lower + p;
                var st = UnixFile.LStat(dir);
                if (st == null) { if (HidesBelow(lower, p)) break; continue; }
                if (!st.Value.IsDirectory) break;
                foreach (var entry in Directory.EnumerateFileSystemEntries(dir))
                {
                    string name = Path.GetFileName(entry);
                    if (seen.Contains(name) || hidden.Contains(name)) continue;
                    var es = UnixFile.LStat(entry);
                    if (es == null) continue;
                    if (es.Value.IsWhiteout) { hidden.Add(name); continue; }
                    seen.Add(name);
                    result.Add(name);
                }
                if (UnixFile.IsOpaque(dir)) break;
            }
            return result;
        }
    }
}
