using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace ImageTools.Stores.Docker
{
    /// <summary>
    /// Maps every storage-driver directory of a Docker data root (<c>overlay2/&lt;id&gt;</c>, <c>vfs/dir/&lt;id&gt;</c>)
    /// to the layer or container that owns it, resolving overlay2's <c>lower</c> files through the <c>l/</c> short links.
    /// </summary>
    internal sealed class OverlayScanner
    {
        private readonly DockerRoot _root;
        private readonly List<ImageToolsException> _errors = new List<ImageToolsException>();
        /// <summary>overlay2/l short name to directory id (from the symlinks' targets <c>../&lt;id&gt;/diff</c>), looked up where a lower file names it.</summary>
        private readonly TextKeyTable<string> _links = new TextKeyTable<string>();
        /// <summary>Directory id to the l/ short name that leads to it; null where more than one does.</summary>
        private readonly Dictionary<string, string?> _shortNames = new Dictionary<string, string?>(StringComparer.Ordinal);
        private List<(string Short, string Target)>? _dangling;

        private readonly OverlayReadAhead? _readAhead;

        /// <param name="root">The data root.</param>
        /// <param name="readAhead">The root's overlay2 files being read ahead on another thread, or null: read here.</param>
        public OverlayScanner(DockerRoot root, OverlayReadAhead? readAhead = null)
        {
            _root = root;
            if (readAhead != null && readAhead.DriverRoot == root.DriverRoot && root.Driver == "overlay2") _readAhead = readAhead;
        }

        /// <summary>Problems found while scanning (a lower naming a missing link, an unreadable link file).</summary>
        public IReadOnlyList<ImageToolsException> Errors => _errors;

        /// <summary>Short links whose directory does not exist.</summary>
        public IReadOnlyList<(string Short, string Target)> DanglingLinks { get { LoadLinks(); return _dangling!; } }

        private void LoadLinks()
        {
            if (_dangling != null) return;
            _dangling = new List<(string, string)>();
            if (_root.Driver != "overlay2") return;
            string l = Path.Combine(_root.Location, "overlay2", "l");
            if (!Directory.Exists(l)) return;
            var targets = _readAhead?.LinkTargets();
            // getdents alone: .NET's enumeration stats the target of every symlink to tell whether it is a folder
            var names = targets?.Keys ?? FolderEntries.Read(l)?.Select(e => e.Name) ?? Directory.EnumerateFileSystemEntries(l).Select(Path.GetFileName);
            foreach (var shortName in names)
            {
                string? target = targets != null ? targets[shortName] : UnixFile.ReadLink(l, shortName);
                if (target == null) continue;
                string? id = DirectoryOfShortLink(target);
                string link = id == null ? Path.Combine(l, shortName) : ""; // a path made only where it is checked or reported
                if (id == null && !_root.Boundary.IsInside(link))
                {
                    // not a link dockerd makes, and it leads out of the root: never offered for deletion, never followed
                    _errors.Add(new ImageToolsException(ErrorId.PathOutsideStore,
                        $"The overlay2 short link {link} points at '{DockerRoot.Printable(target)}', outside the store {_root.Location}; it is not followed.", link, _root.Location));
                    continue;
                }
                if (id == null || !_root.DriverDirectoryExists(id))
                {
                    _dangling.Add((shortName, target));
                    continue;
                }
                _links.Set(shortName, id);
                _shortNames[id] = _shortNames.ContainsKey(id) ? null : shortName;
            }
        }

        /// <summary>The directory id in a short link's target as dockerd writes it (<c>../&lt;id&gt;/diff</c>); null for anything else.</summary>
        internal static string? DirectoryOfShortLink(string target)
        {
            const string Prefix = "../", Suffix = "/diff";
            if (target.Length <= Prefix.Length + Suffix.Length || !target.StartsWith(Prefix, StringComparison.Ordinal)
                || !target.EndsWith(Suffix, StringComparison.Ordinal)) return null;
            string id = target.Substring(Prefix.Length, target.Length - Prefix.Length - Suffix.Length);
            return DockerRoot.IsDirectoryId(id) ? id : null; // no '/' in an id: exactly three parts
        }

        public IEnumerable<OverlayDirectory> Scan()
        {
            string? driverRoot = _root.DriverRoot;
            if (driverRoot == null || !Directory.Exists(driverRoot)) yield break;
            var layersByCache = new Dictionary<string, DockerLayer>(_root.LayerCount, StringComparer.Ordinal);
            foreach (var layer in _root.Layers) if (layer.CacheId != null) layersByCache[layer.CacheId] = layer;
            var mounts = new Dictionary<string, DockerContainer>(StringComparer.Ordinal);
            var inits = new Dictionary<string, DockerContainer>(StringComparer.Ordinal);
            foreach (var c in _root.Containers.Concat(_root.MountsWithoutContainer))
            {
                if (c.MountId != null) mounts[c.MountId] = c;
                if (c.InitId != null) inits[c.InitId] = c;
            }
            bool overlay = _root.Driver == "overlay2";
            foreach (var id in DriverDirectoryIds(driverRoot))
            {
                if (overlay && id == "l") continue;
                if (!_root.IsPlainDriverDirectory(id) && !_root.Boundary.IsInside(driverRoot + "/" + id))
                {
                    string dir = driverRoot + "/" + id;
                    _errors.Add(new ImageToolsException(ErrorId.PathOutsideStore,
                        $"The driver directory {dir} is a symlink that leads out of the store {_root.Location}; it is not read and never called an orphan.", dir, _root.Location));
                    continue;
                }
                var o = new OverlayDirectory(_root, driverRoot, id);
                o.IsMounted = overlay && _root.IsMergedMounted(id);
                if (overlay) ReadOverlayFiles(o);
                if (id.EndsWith("-removing", StringComparison.Ordinal)) o.KindValue = OverlayDirectoryKind.Removing;
                else if (layersByCache.TryGetValue(id, out var layer))
                {
                    o.KindValue = OverlayDirectoryKind.ImageLayer;
                    o.ChainId = layer.ChainId;
                    o.DiffId = layer.DiffId;
                    o.ImageIds = layer.ImageIds;
                    o.ImageNames = layer.ImageNames;
                    o.ContainerIds = new ValueList(layer.ContainerIds);
                }
                else if (mounts.TryGetValue(id, out var c)) { o.KindValue = OverlayDirectoryKind.ContainerLayer; Own(o, c); }
                else if (inits.TryGetValue(id, out c)) { o.KindValue = OverlayDirectoryKind.ContainerInit; Own(o, c); }
                else o.KindValue = OverlayDirectoryKind.Orphan;
                yield return o;
            }
        }

        /// <summary>The names of the driver folder's folders (symlinks to folders too), sorted; from the root's listing when it has one.</summary>
        private List<string> DriverDirectoryIds(string driverRoot)
        {
            var entries = _root.DriverEntries;
            var ids = entries == null
                ? Directory.EnumerateDirectories(driverRoot).Select(d => Path.GetFileName(d)).ToList()
                : entries.Keys.Where(_root.DriverDirectoryExists).ToList();
            ids.Sort(StringComparer.Ordinal);
            return ids;
        }

        private sealed class ImageLists
        {
            public ImageLists(ValueList ids, ValueList? names) { Ids = ids; Names = names; }
            public ValueList Ids { get; }
            public ValueList? Names { get; }
        }

        private readonly Dictionary<ImageTools.Oci.Digest, ImageLists> _imageLists = new Dictionary<ImageTools.Oci.Digest, ImageLists>();

        private void Own(OverlayDirectory o, DockerContainer c)
        {
            o.ContainerId = c.Id;
            o.ContainerName = c.Name;
            o.ContainerIds = new ValueList(new[] { c.Id });
            o.ChainId = c.ParentChainId;
            if (c.ImageValue != null)
            {
                // containers share images (and each has two directories): one pair of lists per image
                if (!_imageLists.TryGetValue(c.ImageValue, out var lists))
                {
                    var image = _root.FindImage(c.ImageValue);
                    _imageLists[c.ImageValue] = lists = new ImageLists(ValueList.Of(new[] { c.ImageValue }),
                        image != null ? new ValueList(DockerRoot.NamesOf(new[] { image })) : null);
                }
                o.ImageIds = lists.Ids;
                if (lists.Names != null) o.ImageNames = lists.Names;
            }
        }

        private void ReportMissingLower(string lowerFile, string part, string shortName)
        {
            bool dangling = DanglingLinks.Any(d => d.Short == shortName);
            _errors.Add(new ImageToolsException(ErrorId.FileNotFound,
                $"{lowerFile} names lower layer '{DockerRoot.Printable(part)}', but overlay2/l/{DockerRoot.Printable(shortName)} " +
                (dangling ? "points at a directory that no longer exists" : "does not exist") + "; the directory cannot be mounted.",
                lowerFile, _root.Location));
        }

        /// <summary>
        /// A lower file's text, trimmed: its bytes as read when they are all ASCII (the usual case: no string is made
        /// for it), else the decoded string.
        /// </summary>
        private readonly struct LowerText
        {
            private readonly byte[]? _ascii;
            private readonly string? _text;
            private readonly int _offset;

            private LowerText(byte[]? ascii, string? text, int offset, int length) { _ascii = ascii; _text = text; _offset = offset; Length = length; }

            public static LowerText Of(byte[] bytes)
            {
                foreach (byte b in bytes)
                    if (b >= 0x80) { string text = System.Text.Encoding.UTF8.GetString(bytes).Trim(); return new LowerText(null, text, 0, text.Length); }
                int first = 0, last = bytes.Length; // as string.Trim does, on ASCII
                while (first < last && char.IsWhiteSpace((char)bytes[first])) first++;
                while (last > first && char.IsWhiteSpace((char)bytes[last - 1])) last--;
                return new LowerText(bytes, null, first, last - first);
            }

            public int Length { get; }

            public char this[int i] => _ascii != null ? (char)_ascii[_offset + i] : _text![i];

            public int IndexOf(char c, int start)
            {
                for (int i = start; i < Length; i++) if (this[i] == c) return i;
                return -1;
            }

            public string Substring(int start, int length) =>
                _ascii != null ? System.Text.Encoding.ASCII.GetString(_ascii, _offset + start, length) : _text!.Substring(start, length);

            public bool TryGet<T>(TextKeyTable<T> table, int start, int length, out T value) =>
                _ascii != null ? table.TryGet(_ascii, _offset + start, length, out value) : table.TryGet(_text!, start, length, out value);

            public int Count(char c)
            {
                int n = 0;
                for (int i = 0; i < Length; i++) if (this[i] == c) n++;
                return n;
            }
        }

        /// <summary>
        /// The directory's short name: the l/ symlink that leads to it, which is what dockerd also wrote in its link
        /// file. The link file is read only where l/ has no such symlink (a directory being removed, a damaged l/) or
        /// more than one: one open fewer per directory.
        /// </summary>
        private string? ShortNameOf(OverlayDirectory o)
        {
            LoadLinks();
            if (_shortNames.TryGetValue(o.Id, out var shortName) && shortName != null) return shortName;
            return UnixFile.ReadSmallText(Path.Combine(o.Path, "link"), 4096)?.Trim();
        }

        private void ReadOverlayFiles(OverlayDirectory o)
        {
            try
            {
                o.Link = ShortNameOf(o);
                OverlayReadAhead.Files? read = null;
                if (_readAhead != null && !_readAhead.TryTake(o.Id, out read)) read = null;
                read?.Failure?.Throw();
                byte[]? lower = read != null ? read.Lower : UnixFile.ReadSmallBytes(Path.Combine(o.Path, "lower"), 1 << 16);
                if (lower == null || lower.Length == 0) return;
                var chain = LowerText.Of(lower);
                var ids = new string[chain.Count(':') + 1];
                int found = 0;
                // each part is l/<short name>, looked up where it stands in the file's text (no string per part)
                for (int start = 0; start <= chain.Length;)
                {
                    int end = chain.IndexOf(':', start);
                    if (end < 0) end = chain.Length;
                    int name = start, length = end - start;
                    if (length >= 2 && chain[start] == 'l' && chain[start + 1] == '/') { name += 2; length -= 2; }
                    if (chain.TryGet(_links, name, length, out var id)) ids[found++] = id;
                    else ReportMissingLower(Path.Combine(o.Path, "lower"), chain.Substring(start, end - start), chain.Substring(name, length));
                    start = end + 1;
                }
                if (found < ids.Length) Array.Resize(ref ids, found);
                o.Lowers = new ValueList(ids);
            }
            catch (Exception e) when (ExpectedFailures.IsExpected(e))
            {
                _errors.Add(e as ImageToolsException ?? new ImageToolsException(ErrorId.StoreUnreadable, $"Cannot read {o.Path}: {e.Message}", o.Path, _root.Location, e));
            }
        }
    }
}
