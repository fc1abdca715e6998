using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using ImageTools.Content;
using ImageTools.Oci;

namespace ImageTools.Stores.Docker
{
    /// <summary>
    /// A Docker data root (<c>/var/lib/docker</c>) read from its files alone, with no daemon: the image store
    /// (<c>image/&lt;driver&gt;/imagedb</c>, <c>repositories.json</c>), the layer database (<c>layerdb</c>), the
    /// containers and the storage driver's directories. Read once when opened; nothing is ever written.
    /// Bad entries (a garbage cache-id, an unreadable config.v2.json) become <see cref="Errors"/> and the rest is read.
    /// </summary>
    internal sealed partial class DockerRoot
    {

        private readonly Dictionary<Digest, DockerImage> _images = new Dictionary<Digest, DockerImage>();
        private readonly Dictionary<Digest, DockerLayer> _layers = new Dictionary<Digest, DockerLayer>();
        private readonly List<DockerContainer> _containers = new List<DockerContainer>();
        private readonly List<ImageToolsException> _errors = new List<ImageToolsException>();
        private readonly List<string> _usageGaps = new List<string>();
        private readonly List<string> _notes = new List<string>();
        private readonly List<string> _removingLayers = new List<string>();
        private HashSet<string>? _mountPoints;

        public string Location { get; }
        public string Driver { get; }

        /// <summary><c>image/&lt;driver&gt;</c>: imagedb, layerdb, repositories.json, distribution.</summary>
        public string ImageRoot { get; }

        /// <summary>True for overlay2 and vfs, whose directories are mapped to layers and containers.</summary>
        public bool DirectoriesMapped => Driver == "overlay2" || Driver == "vfs";

        public IEnumerable<DockerImage> Images => _images.Values.OrderBy(i => i.RepoTags.FirstOrDefault() ?? "\uffff", StringComparer.Ordinal).ThenBy(i => i.IdValue);
        public IEnumerable<DockerLayer> Layers => _layers.Values.OrderBy(l => l.ChainId);
        public IReadOnlyList<DockerContainer> Containers => _containers;
        public IReadOnlyList<ImageToolsException> Errors => _errors;

        /// <summary>
        /// What could not be read or trusted among the files that say which directories are in use (a layerdb entry, a
        /// cache-id, a container's mount-id, an image config, repositories.json, a parent link...): while any is
        /// listed, nothing may be called unused.
        /// </summary>
        public IReadOnlyList<string> UsageGaps => _usageGaps;

        /// <summary>The root as a closed room: paths read through names from its files must stay inside it.</summary>
        internal StoreBoundary Boundary { get; }
        public IReadOnlyList<string> Notes => _notes;
        public IReadOnlyList<string> RemovingLayers => _removingLayers;

        public DockerImage? FindImage(Digest id) => _images.TryGetValue(id, out var i) ? i : null;
        public DockerLayer? FindLayer(Digest chainId) => _layers.TryGetValue(chainId, out var l) ? l : null;
        public int LayerCount => _layers.Count;

        private DockerRoot(string location, string driver)
        {
            Location = location;
            Driver = driver;
            ImageRoot = Path.Combine(location, "image", driver);
            Boundary = new StoreBoundary(location, rememberFolders: true);
            DriverRoot = driver switch
            {
                "overlay2" => Path.Combine(location, "overlay2"),
                "vfs" => Path.Combine(location, "vfs", "dir"),
                _ => null,
            };
        }

        /// <summary>True when the folder looks like a Docker data root: <c>image/&lt;driver&gt;/</c> with an imagedb or layerdb, or Docker's own containerd.</summary>
        public static bool Recognize(string path) =>
            FindDrivers(path).Count > 0 || (File.Exists(ContainerdMetaDb(path)) && Directory.Exists(Path.Combine(path, "containers")));

        internal static string ContainerdMetaDb(string root) =>
            Path.Combine(root, "containerd", "daemon", "io.containerd.metadata.v1.bolt", "meta.db");

        private static List<string> FindDrivers(string root)
        {
            var result = new List<string>();
            string image = Path.Combine(root, "image");
            if (!Directory.Exists(image)) return result;
            foreach (var dir in Directory.EnumerateDirectories(image))
                if (Directory.Exists(Path.Combine(dir, "imagedb")) || Directory.Exists(Path.Combine(dir, "layerdb")))
                    result.Add(Path.GetFileName(dir));
            return result;
        }

        /// <summary>Finds the drivers of a root and whether Docker's containerd holds its images, reading containerd's database once.</summary>
        public static DockerRootKind Examine(string path)
        {
            string location = NormalLocation(path);
            var drivers = FindDrivers(location);
            string? containerdNote = ContainerdImagesNote(location);
            bool usesContainerd = drivers.Count == 0 || (containerdNote != null && !drivers.Any(d => HasImages(location, d)));
            return new DockerRootKind(location, drivers, containerdNote, usesContainerd);
        }

        /// <summary>The root's <see cref="Location"/>: the full path without a trailing slash.</summary>
        private static string NormalLocation(string path)
        {
            string location = Path.GetFullPath(path).TrimEnd('/');
            return location.Length == 0 ? "/" : location;
        }

        public static DockerRoot Open(DockerRootKind kind)
        {
            string location = kind.Location;
            var drivers = kind.Drivers;
            if (kind.UsesContainerdImageStore)
            {
                throw new ImageToolsException(ErrorId.DockerRootUnsupported,
                    $"{location} is a Docker data root that uses the containerd image store (containerd/daemon, namespace moby; the default of Docker 29 on fresh installs){kind.ContainerdImagesNote}. " +
                    "image/<driver>/imagedb holds no images: Get-Image -Path reads them from containerd, and the Get-Containerd* cmdlets with " +
                    $"-Path {Path.Combine(location, "containerd", "daemon")} -Namespace moby show them.", location, location);
            }
            // The driver in use has its directory at the root (overlay2/, vfs/); prefer the one with images.
            string driver = drivers.OrderByDescending(d => Directory.Exists(Path.Combine(location, d)))
                .ThenByDescending(d => HasImages(location, d)).ThenByDescending(d => d == "overlay2").First();
            var root = new DockerRoot(location, driver);
            if (drivers.Count > 1)
                root._notes.Add($"image/ holds metadata for several storage drivers ({string.Join(", ", drivers)}); reading {driver}, whose directory exists at the root.");
            if (kind.ContainerdHasImages)
                root._notes.Add($"Docker's containerd (namespace moby) also holds images{kind.ContainerdImagesNote}; they are not listed here: read them with Get-Image -Path {Path.Combine(location, "containerd", "daemon")} -Namespace moby.");
            if (!root.DirectoriesMapped)
                root._notes.Add($"The storage driver is {driver}: images and layers are listed, but its directories are not mapped to layers and containers (only overlay2 and vfs are).");
            root.Load();
            return root;
        }

        private static bool HasImages(string root, string driver)
        {
            string content = Path.Combine(root, "image", driver, "imagedb", "content", "sha256");
            return Directory.Exists(content) && Directory.EnumerateFileSystemEntries(content).Any();
        }

        /// <summary><c> (N images in &lt;meta.db&gt;)</c> when Docker's containerd holds images in namespace moby; null otherwise.</summary>
        private static string? ContainerdImagesNote(string root)
        {
            string db = ContainerdMetaDb(root);
            if (!File.Exists(db)) return null;
            try
            {
                new StoreBoundary(root).CheckFile(db, "containerd metadata database"); // a FIFO there must not block the reader
                var images = Bolt.BoltDatabase.Open(db).Root.GetBucketPath("v1", "moby", "images");
                int n = images == null ? 0 : images.Buckets.Count;
                return n > 0 ? $" ({n} image{(n == 1 ? "" : "s")} in {db})" : null;
            }
            catch (Exception e) when (ExpectedFailures.IsExpected(e) || e is Bolt.BoltFormatException)
            {
                return null;
            }
        }

        private void Load()
        {
            LoadLayers();
            CheckParents();
            LoadImages();
            LoadNames();
            LoadContainers();
            LinkUsers();
        }

        /// <summary>Records a problem; unless <paramref name="affectsUse"/> is false it is also a gap in what is known to be in use.</summary>
        internal void Fail(ErrorId id, string message, string path, Exception? inner = null, bool affectsUse = true)
        {
            _errors.Add(new ImageToolsException(id, message, path, Location, inner));
            if (affectsUse) _usageGaps.Add(message);
        }

        /// <summary>Records an exception met while reading <paramref name="file"/>: its own id when it is ours, else <paramref name="fallback"/>.</summary>
        internal void Fail(Exception e, ErrorId fallback, string message, string file) =>
            Fail(e is ImageToolsException ie ? ie.ErrorId : e is FileNotFoundException ? ErrorId.FileNotFound : fallback, message, file, e);

        /// <summary>The folder holding the driver's directories (<c>overlay2</c>, <c>vfs/dir</c>), or null when they are not mapped.</summary>
        public string? DriverRoot { get; }

        /// <summary>The driver directory of an id, or null when the driver's directories are not mapped.</summary>
        public string? DriverDirectory(string id) => DriverRoot == null ? null : Path.Combine(DriverRoot, id);

        /// <summary>Where an id's files are: <c>overlay2/&lt;id&gt;/diff</c>, or the vfs directory itself.</summary>
        public string? DiffDirectory(string id) => DiffDirectoryIn(DriverDirectory(id));

        /// <summary>The diff directory inside a driver directory already made (<see cref="DriverDirectory"/>): a path made once, not again.</summary>
        internal string? DiffDirectoryIn(string? directory) =>
            directory != null && Driver == "overlay2" ? Path.Combine(directory, "diff") : directory;

        /// <summary>Checks a cache-id, mount-id or init-id read from a file before it becomes part of a path.</summary>
        /// <remarks>The grammar is [A-Za-z0-9][A-Za-z0-9_.-]{0,127}, checked by hand: ids are checked by the thousand.</remarks>
        internal static bool IsDirectoryId(string? id)
        {
            if (id == null || id.Length == 0 || id.Length > 128 || !IsAsciiLetterOrDigit(id[0])) return false;
            for (int i = 1; i < id.Length; i++)
            {
                char c = id[i];
                if (!IsAsciiLetterOrDigit(c) && c != '_' && c != '.' && c != '-') return false;
            }
            return true;
        }

        private static bool IsAsciiLetterOrDigit(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');

        /// <summary>
        /// Reads a small text file; false when it cannot be read (reported as "Cannot read the &lt;what&gt; &lt;file&gt;", or
        /// "Cannot read &lt;file&gt;" without <paramref name="what"/>), true otherwise, with <paramref name="text"/> null when the file is missing.
        /// </summary>
        private bool TryReadSmallText(EntryFile file, string? what, out string? text)
        {
            try
            {
                var read = PreReadOf(file);
                text = read != null ? read.Text() : UnixFile.ReadSmallText(file.Folder, file.Name, 4096);
                return true;
            }
            catch (Exception e) when (ExpectedFailures.IsExpected(e))
            {
                string description = what == null ? file.Path : $"the {what} {file}"; // made only here: files are read by the thousand
                Fail(e, ErrorId.StoreUnreadable, $"Cannot read {description}: {e.Message}", file.Path);
                text = null;
                return false;
            }
        }

        private string? ReadDirectoryId(EntryFile file, string what)
        {
            if (!TryReadSmallText(file, what, out string? text)) return null;
            if (text == null) { Fail(ErrorId.FileNotFound, $"The {what} {file} is missing.", file.Path); return null; }
            text = text.Trim();
            if (text == "." || text == ".." || text.IndexOf('/') >= 0)
            {
                Fail(ErrorId.PathOutsideStore, $"The {what} {file} holds '{Printable(text)}', a path that leads out of the driver's folder; it is not followed.", file.Path);
                return null;
            }
            if (!IsDirectoryId(text))
            {
                Fail(ErrorId.MalformedContent, $"The {what} {file} holds '{Printable(text)}', which is not a storage-driver directory id.", file.Path);
                return null;
            }
            return text;
        }

        private Digest? ReadDigestFile(EntryFile file, string what, bool required)
        {
            if (!TryReadSmallText(file, what, out string? text)) return null;
            if (text == null)
            {
                if (required) Fail(ErrorId.FileNotFound, $"The {what} {file} is missing.", file.Path);
                return null;
            }
            if (Digest.TryParse(text.Trim(), out var d, out var reason)) return d;
            Fail(ErrorId.InvalidDigest, $"The {what} {file} holds '{Printable(text)}', not a digest: {reason}.", file.Path);
            return null;
        }

        internal static string Printable(string s)
        {
            var chars = s.Take(80).Select(c => char.IsControl(c) ? '?' : c).ToArray();
            return new string(chars) + (s.Length > 80 ? "..." : "");
        }

        /// <summary>
        /// <see cref="File.Exists"/> with one lstat for the usual answers (a file, nothing there) instead of .NET's
        /// stat then lstat when the file is missing; a symlink is still followed as File.Exists follows it.
        /// </summary>
        private static bool FileExists(string folder, string name)
        {
            if (UnixFile.TryLStat(folder, name, null, out var st) && st is not { IsSymlink: true }) return st != null && !st.Value.IsDirectory;
            return File.Exists(Path.Combine(folder, name));
        }

        /// <summary>A small text file's content; null when it is missing or cannot be read (reported).</summary>
        private string? SafeRead(EntryFile file) => TryReadSmallText(file, null, out string? text) ? text : null;

        /// <summary>False (reported as PathOutsideStore) when <paramref name="path"/> leads out of the root through a symlink.</summary>
        internal bool IsInside(string path, string what)
        {
            try
            {
                Boundary.Check(path, what);
                return true;
            }
            catch (ImageToolsException e)
            {
                Fail(e.ErrorId, e.Message, path, e);
                return false;
            }
        }

        /// <summary>
        /// False (reported) when the driver directory of <paramref name="id"/> (a checked directory id) or its diff/ is a
        /// symlink out of the root: its files are never read (the directory itself may be what the layer or container
        /// uses, so it is a gap, not an orphan).
        /// </summary>
        /// <param name="id">A checked directory id.</param>
        /// <param name="owner">Who uses the directory, a format with <paramref name="ownerName"/> as {0}: made only for a report.</param>
        /// <param name="ownerName">The layer's chain id or the container's id.</param>
        internal bool DriverPathsInside(string id, string owner, object ownerName)
        {
            if (DriverRoot == null) return true;
            bool overlay = Driver == "overlay2"; // else the driver directory is the diff directory itself
            if (IsPlainDriverDirectory(id))
            {
                // listed as a plain folder of a driver folder inside the root: inside, and so is a diff/ that is not a symlink
                if (!overlay || IsNotASymlink(DriverRoot, id, "diff")) return true;
            }
            else if (!IsInside(DriverDirectory(id)!, "directory of " + string.Format(CultureInfo.InvariantCulture, owner, ownerName))) return false;
            return !overlay || IsInside(DiffDirectory(id)!, "diff directory of " + string.Format(CultureInfo.InvariantCulture, owner, ownerName));
        }

        /// <summary>True when nothing or something other than a symlink is at <paramref name="folder"/>/<paramref name="name"/>/<paramref name="leaf"/> (one lstat); false when it cannot be told.</summary>
        private static bool IsNotASymlink(string folder, string name, string leaf) => UnixFile.TryLStat(folder, name, leaf, out var st) && st is not { IsSymlink: true };

        /// <summary>Reports each cycle of layerdb parent links once, naming its layers (a walk along parents then stops where it started).</summary>
        private void CheckParents()
        {
            var done = new HashSet<Digest>();
            var path = new List<Digest>();
            var onPath = new HashSet<Digest>();
            foreach (var start in _layers.Keys.OrderBy(d => d))
            {
                path.Clear();
                onPath.Clear();
                Digest? current = start;
                while (current != null && !done.Contains(current) && _layers.TryGetValue(current, out var layer))
                {
                    if (!onPath.Add(current))
                    {
                        _looping ??= new HashSet<Digest>();
                        _looping.UnionWith(path); // every layer walked here leads into the cycle
                        var cycle = path.Skip(path.IndexOf(current)).ToList();
                        Fail(ErrorId.MalformedContent,
                            $"The layerdb parent links form a cycle: {string.Join(" -> ", cycle.Concat(new[] { current }).Select(d => d.Encoded.Substring(0, 12)))} " +
                            $"({string.Join(", ", cycle.Select(d => Path.Combine(ImageRoot, "layerdb", "sha256", d.Encoded, "parent")))}); no layer chain can end there.",
                            Path.Combine(ImageRoot, "layerdb", "sha256", current.Encoded, "parent"));
                        break;
                    }
                    path.Add(current);
                    current = layer.ParentValue;
                    if (current != null && !_layers.ContainsKey(current))
                        Fail(ErrorId.BlobNotFound, $"Layer {layer.ChainId} names parent {current} in {Path.Combine(layer.LayerDbPath, "parent")}, which is not in layerdb.",
                            Path.Combine(layer.LayerDbPath, "parent"));
                }
                // a walk that ran into a layer already known to lead into a cycle leads into it too
                if (current != null && _looping != null && _looping.Contains(current)) _looping.UnionWith(path);
                foreach (var d in path) done.Add(d);
            }
        }

        /// <summary>Layers whose parent links lead into a cycle (null: none); only their chains need a walk that remembers where it was.</summary>
        private HashSet<Digest>? _looping;

        private void LoadImages()
        {
            string content = Path.Combine(ImageRoot, "imagedb", "content", "sha256");
            if (!Directory.Exists(content)) return;
            foreach (var file in Directory.EnumerateFiles(content))
            {
                string name = Path.GetFileName(file);
                if (!Digest.TryParse("sha256:" + name, out var id, out var reason))
                {
                    Fail(ErrorId.InvalidDigest, $"The imagedb file {file} is not named by an image ID: {reason}.", file);
                    continue;
                }
                var image = new DockerImage(this, id!) { ConfigPath = file };
                try
                {
                    byte[] bytes = Boundary.ReadFile(file, "image config", 16L << 20);
                    var actual = DigestAlgorithms.Compute(Digest.Sha256, bytes);
                    if (actual != id)
                        Fail(ErrorId.DigestMismatch, $"The image config {file} hashes to {actual}, not to its name {id}: it was changed on disk.", file);
                    var config = ImageConfig.Parse(bytes, $"image config {file}");
                    image.CreatedValue = config.Created;
                    image.Architecture = config.Architecture;
                    image.Os = config.Os;
                    image.DiffIdValues = config.DiffIds.ToArray();
                    image.LayerChainIdValues = ChainId.Compute(config.DiffIds).ToArray();
                    foreach (var chain in image.LayerChainIdValues)
                        if (!_layers.ContainsKey(chain))
                            Fail(ErrorId.BlobNotFound, $"Image {id} needs layer {chain}, which is not in {Path.Combine(ImageRoot, "layerdb", "sha256")}.", file);
                }
                catch (Exception e) when (ExpectedFailures.IsExpected(e))
                {
                    Fail(e, e is ContentFormatException ? ErrorId.MalformedContent : ErrorId.StoreUnreadable, $"Cannot read image config {file}: {e.Message}", file);
                }
                string meta = Path.Combine(ImageRoot, "imagedb", "metadata", "sha256", name);
                image.ParentValue = ReadDigestFile(new EntryFile(meta, "parent"), "image parent", false);
                string? updated = SafeRead(new EntryFile(meta, "lastUpdated"));
                if (updated != null && DateTimeOffset.TryParse(updated.Trim(), System.Globalization.CultureInfo.InvariantCulture,
                        System.Globalization.DateTimeStyles.AssumeUniversal, out var t)) image.LastUpdatedValue = t;
                _images[id!] = image;
            }
        }

        private void LoadNames()
        {
            string file = Path.Combine(ImageRoot, "repositories.json");
            if (!File.Exists(file)) return;
            var tags = new Dictionary<Digest, List<string>>();
            var digests = new Dictionary<Digest, List<string>>();
            try
            {
                using var doc = Json.ParseDocument(Boundary.ReadFile(file, "Docker names file"), $"Docker names file {file}");
                var repos = Json.OptionalObject(doc.RootElement, "Repositories", file);
                if (repos == null) return;
                foreach (var repo in repos.Value.EnumerateObject())
                {
                    if (repo.Value.ValueKind != JsonValueKind.Object) continue;
                    foreach (var r in repo.Value.EnumerateObject())
                    {
                        if (r.Value.ValueKind != JsonValueKind.String || !Digest.TryParse(r.Value.GetString(), out var id))
                        {
                            Fail(ErrorId.InvalidDigest, $"In {file}, '{r.Name}' does not point at an image ID.", file);
                            continue;
                        }
                        var map = r.Name.Contains("@") ? digests : tags;
                        if (!map.TryGetValue(id!, out var list)) map[id!] = list = new List<string>();
                        list.Add(r.Name);
                        if (!_images.ContainsKey(id!))
                            Fail(ErrorId.ImageNotFound, $"{file} names '{r.Name}' for image {id}, which is not in imagedb.", file, affectsUse: false);
                    }
                }
            }
            catch (Exception e) when (ExpectedFailures.IsExpected(e))
            {
                Fail(e, ErrorId.MalformedContent, $"Cannot read {file}: {e.Message}", file);
            }
            foreach (var image in _images.Values)
            {
                if (tags.TryGetValue(image.IdValue, out var t)) image.RepoTags = new ValueList(t.OrderBy(x => x, StringComparer.Ordinal).ToArray());
                if (digests.TryGetValue(image.IdValue, out var d)) image.RepoDigests = new ValueList(d.OrderBy(x => x, StringComparer.Ordinal).ToArray());
            }
        }

        /// <summary>True when a path is a mount point now (from /proc/self/mountinfo).</summary>
        public bool IsMountPoint(string? path) => path != null && MountPoints().Contains(path);

        /// <summary>True when <c>overlay2/&lt;id&gt;/merged</c> is a mount point now, asked by id: no path is made per directory.</summary>
        public bool IsMergedMounted(string id)
        {
            if (_mountedMergedIds == null)
            {
                _mountedMergedIds = new HashSet<string>(StringComparer.Ordinal);
                if (DriverRoot == null) return false;
                string prefix = DriverRoot + "/";
                const string Merged = "/merged";
                foreach (var point in MountPoints())
                    if (point.Length > prefix.Length + Merged.Length && point.StartsWith(prefix, StringComparison.Ordinal)
                        && point.EndsWith(Merged, StringComparison.Ordinal))
                        _mountedMergedIds.Add(point.Substring(prefix.Length, point.Length - prefix.Length - Merged.Length));
            }
            return _mountedMergedIds.Contains(id);
        }

        private HashSet<string>? _mountedMergedIds;

        private HashSet<string> MountPoints()
        {
            if (_mountPoints != null) return _mountPoints;
            _mountPoints = new HashSet<string>(StringComparer.Ordinal);
            try
            {
                foreach (var line in File.ReadLines("/proc/self/mountinfo"))
                {
                    var f = line.Split(' ');
                    if (f.Length > 4) _mountPoints.Add(Unescape(f[4]));
                }
            }
            catch (Exception e) when (ExpectedFailures.IsExpected(e)) { }
            return _mountPoints;
        }

        private static string Unescape(string s) => s.IndexOf('\\') < 0 ? s : // most mount points have nothing escaped
            Regex.Replace(s, @"\\([0-7]{3})", m => ((char)Convert.ToInt32(m.Groups[1].Value, 8)).ToString());
    }
}
