using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ImageTools.Oci;

namespace ImageTools.Stores.Docker
{
    internal sealed partial class DockerRoot
    {
        /// <summary>Container ids found only in layerdb/mounts (their containers/ folder is gone).</summary>
        public IReadOnlyList<DockerContainer> MountsWithoutContainer => _mountsOnly;
        private readonly List<DockerContainer> _mountsOnly = new List<DockerContainer>();

        /// <summary>containers/&lt;id&gt; folders without a config.v2.json: dockerd fails to load them and skips them, so they are no container.</summary>
        public IReadOnlyList<string> ContainerFoldersWithoutConfig => _foldersWithoutConfig;
        private readonly List<string> _foldersWithoutConfig = new List<string>();

        private void LoadContainers()
        {
            var byId = new Dictionary<string, DockerContainer>(StringComparer.Ordinal);
            string containers = Path.Combine(Location, "containers");
            if (Directory.Exists(containers)) LoadContainerFolders(containers, byId);
            string mounts = Path.Combine(ImageRoot, "layerdb", "mounts");
            if (Directory.Exists(mounts)) LoadMounts(mounts, byId);
        }

        /// <summary>containers/&lt;id&gt;: each folder's config.v2.json, read ahead on another thread.</summary>
        private void LoadContainerFolders(string containers, Dictionary<string, DockerContainer> byId)
        {
            var entries = SubFolders(containers, out bool plainInside);
            entries.Sort((x, y) => string.CompareOrdinal(x.Name, y.Name));
            var ahead = new ReadAhead<ConfigRead>(entries.Count, i => plainInside && entries[i].IsPlainDirectory
                ? ConfigRead.Of(Path.Combine(containers, entries[i].Name, "config.v2.json")) : ConfigRead.InLine, "ImageTools containers read-ahead");
            try
            {
                for (int i = 0; i < entries.Count; i++)
                {
                    string id = entries[i].Name;
                    if (!IsDirectoryId(id)) continue;
                    string dir = Path.Combine(containers, id);
                    string config = Path.Combine(dir, "config.v2.json");
                    // a folder that leads out of the root is still a container (its directories stay in use), but its config is not read
                    bool inside = (plainInside && entries[i].IsPlainDirectory) || IsInside(dir, "container folder");
                    var read = ahead.Take(i);
                    if (inside && (read.Missing || (read.Bytes == null && UnixFile.LStat(config) == null)))
                    {
                        _foldersWithoutConfig.Add(dir);
                        continue;
                    }
                    var c = new DockerContainer(this, id) { ConfigPath = config };
                    byId[id] = c;
                    _containers.Add(c);
                    if (inside) ReadContainerConfig(c, read.Bytes);
                }
            }
            finally { ahead.Stop(); }
        }

        /// <summary>image/&lt;driver&gt;/layerdb/mounts/&lt;id&gt;: each container's mount-id, init-id and parent, read ahead on another thread.</summary>
        private void LoadMounts(string mounts, Dictionary<string, DockerContainer> byId)
        {
            var entries = SubFolders(mounts, out bool plainInside);
            entries.Sort((x, y) => string.CompareOrdinal(x.Name, y.Name));
            using var folder = plainInside ? FolderHandle.TryOpen(mounts) : null;
            var ahead = new ReadAhead<PreReadFiles>(entries.Count, i => plainInside && entries[i].IsPlainDirectory
                ? PreReadFiles.Read(folder, mounts, entries[i].Name, MountFileNames) : PreReadFiles.None, "ImageTools layerdb mounts read-ahead");
            try
            {
                for (int i = 0; i < entries.Count; i++)
                {
                    string id = entries[i].Name;
                    string dir = Path.Combine(mounts, id);
                    if (!(plainInside && entries[i].IsPlainDirectory) && !IsInside(dir, "layerdb mount")) continue;
                    if (!byId.TryGetValue(id, out var c))
                    {
                        if (!IsDirectoryId(id)) continue;
                        c = new DockerContainer(this, id);
                        _mountsOnly.Add(c);
                    }
                    var read = ahead.Take(i);
                    UsePreRead(dir, read);
                    LoadMount(c, id, dir);
                    UsePreRead(dir, null);
                }
            }
            finally
            {
                _preRead = null;
                ahead.Finish(); // before the folder handle is closed
            }
        }

        private static readonly string[] MountFileNames = { "mount-id", "init-id", "parent" };

        private void LoadMount(DockerContainer c, string id, string dir)
        {
            c.MountId = ReadDirectoryId(new EntryFile(dir, "mount-id"), "container mount-id");
            var initId = new EntryFile(dir, "init-id");
            if (ExistsAsRead(initId)) c.InitId = ReadDirectoryId(initId, "container init-id");
            c.ParentChainIdValue = ReadDigestFile(new EntryFile(dir, "parent"), "container layer parent", false);
            if (c.MountId != null && !DriverPathsInside(c.MountId, "container {0}", id)) c.MountId = null;
            if (c.InitId != null && !DriverPathsInside(c.InitId, "container {0} (init)", id)) c.InitId = null;
            if (c.MountId != null)
            {
                string? mountDirectory = DriverDirectory(c.MountId);
                c.UpperDir = DiffDirectoryIn(mountDirectory);
                if (Driver == "overlay2") c.MergedPath = Path.Combine(mountDirectory!, "merged"); // the driver directory is overlay2/<mount-id>
                c.IsMounted = IsMountPoint(c.MergedPath);
            }
            if (c.InitId != null) c.InitDir = DiffDirectory(c.InitId);
        }

        /// <summary>A container's image layers' diff/ folders, top first (from its layer chain, which the root holds).</summary>
        internal ValueList LowerDirsOf(DockerContainer c)
        {
            var lowers = new List<string>();
            foreach (var layer in Chain(c.ParentChainIdValue))
                if (layer.DiffPath != null) lowers.Add(layer.DiffPath);
            return new ValueList(lowers.ToArray());
        }

        /// <summary>
        /// A container's config.v2.json read on another thread the quick way (not following a symlink, a regular file of at
        /// most 1 MiB): its bytes, or missing; anything else (a symlink, a FIFO, a large file, an error) is read in line
        /// the checked way, which words the error.
        /// </summary>
        private sealed class ConfigRead
        {
            public static readonly ConfigRead InLine = new ConfigRead(null, false);

            private ConfigRead(byte[]? bytes, bool missing) { Bytes = bytes; Missing = missing; }

            public byte[]? Bytes { get; }
            public bool Missing { get; }

            public static ConfigRead Of(string file)
            {
                try
                {
                    var bytes = UnixFile.ReadSmallBytes(file, 1 << 20);
                    return bytes == null ? new ConfigRead(null, true) : new ConfigRead(bytes, false);
                }
                catch (Exception) { return InLine; }
            }
        }

        /// <summary>A layer and its parents, top first; stops at a missing parent or a loop.</summary>
        public IEnumerable<DockerLayer> Chain(Digest? top)
        {
            // most chains end: only one that leads into a cycle (found when the root was read) needs a set of where it was
            var seen = top != null && _looping != null && _looping.Contains(top) ? new HashSet<Digest>() : null;
            var current = top;
            while (current != null && (seen == null || seen.Add(current)) && _layers.TryGetValue(current, out var layer))
            {
                yield return layer;
                current = layer.ParentValue;
            }
        }

        /// <param name="c">The container.</param>
        /// <param name="readAhead">Its config as read ahead; null: read here, checked.</param>
        private void ReadContainerConfig(DockerContainer c, byte[]? readAhead)
        {
            string file = c.ConfigPath;
            try
            {
                byte[] bytes = readAhead ?? Boundary.ReadFile(file, "container config", 16L << 20);
                using var doc = Json.ParseDocument(bytes, $"container config {file}");
                var e = Json.RequireObject(doc.RootElement, $"container config {file}");
                string what = $"container config {file}";
                string? name = Json.OptionalString(e, "Name", what);
                c.Name = name?.TrimStart('/');
                if (Digest.TryParse(Json.OptionalString(e, "Image", what), out var image)) c.ImageValue = image;
                c.CreatedValue = Json.OptionalTime(e, "Created", what);
                c.Driver = Json.OptionalString(e, "Driver", what);
                var config = Json.OptionalObject(e, "Config", what);
                if (config != null) c.ImageName = Json.OptionalString(config.Value, "Image", what);
                var state = Json.OptionalObject(e, "State", what);
                if (state != null) ReadState(c, state.Value, what);
            }
            catch (Exception ex) when (ExpectedFailures.IsExpected(ex))
            {
                Fail(ex, ex is ContentFormatException ? ErrorId.MalformedContent : ErrorId.StoreUnreadable,
                    $"Cannot read the container config {file}: {ex.Message}", file);
            }
        }

        private static void ReadState(DockerContainer c, System.Text.Json.JsonElement s, string what)
        {
            bool Flag(string n) => s.TryGetProperty(n, out var v) && v.ValueKind == System.Text.Json.JsonValueKind.True;
            c.ExitCode = (int?)Json.OptionalInt64(s, "ExitCode", what);
            var started = Json.OptionalTime(s, "StartedAt", what);
            var finished = Json.OptionalTime(s, "FinishedAt", what);
            bool zeroStart = started == null || started.Value.Year <= 1;
            c.StartedAtValue = zeroStart ? null : started;
            c.FinishedAtValue = finished == null || finished.Value.Year <= 1 ? null : finished;
            // docker's container/state.go StateString
            if (Flag("Running")) c.State = Flag("Paused") ? "paused" : Flag("Restarting") ? "restarting" : "running";
            else if (Flag("RemovalInProgress")) c.State = "removing";
            else if (Flag("Dead")) c.State = "dead";
            else if (zeroStart) c.State = "created";
            else c.State = "exited";
        }

        /// <summary>Fills in which images and containers use each layer, and container counts per image.</summary>
        private void LinkUsers()
        {
            var imagesOf = new Dictionary<Digest, List<DockerImage>>();
            foreach (var image in _images.Values)
                foreach (var chain in image.LayerChainIdValues)
                {
                    if (!imagesOf.TryGetValue(chain, out var list)) imagesOf[chain] = list = new List<DockerImage>();
                    list.Add(image);
                }
            var containersOf = new Dictionary<Digest, List<string>>();
            foreach (var c in _containers)
            {
                if (c.ImageValue != null && _images.TryGetValue(c.ImageValue, out var img)) img.Containers++;
                foreach (var layer in Chain(c.ParentChainIdValue))
                {
                    if (!containersOf.TryGetValue(layer.ChainIdValue, out var list)) containersOf[layer.ChainIdValue] = list = new List<string>();
                    list.Add(c.Id);
                }
            }
            var namesOfOne = new Dictionary<DockerImage, ValueList>(); // most layers belong to one image: its names once
            foreach (var layer in _layers.Values)
            {
                if (imagesOf.TryGetValue(layer.ChainIdValue, out var imgs))
                {
                    if (imgs.Count == 1)
                    {
                        layer.ImageIdValues = new[] { imgs[0].IdValue };
                        if (!namesOfOne.TryGetValue(imgs[0], out var names)) namesOfOne[imgs[0]] = names = new ValueList(NamesOf(imgs));
                        layer.ImageNames = names;
                    }
                    else
                    {
                        layer.ImageIdValues = imgs.Select(i => i.IdValue).OrderBy(d => d).ToArray();
                        layer.ImageNames = new ValueList(NamesOf(imgs));
                    }
                }
                if (containersOf.TryGetValue(layer.ChainIdValue, out var cs)) layer.ContainerIds = new ValueList(cs.ToArray());
            }
        }

        internal static string[] NamesOf(IEnumerable<DockerImage> images) =>
            images.SelectMany(i => i.RepoTags.Length > 0 ? i.RepoTags : i.RepoDigests).Distinct().OrderBy(n => n, StringComparer.Ordinal).ToArray();
    }
}
