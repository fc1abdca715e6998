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
            if (Directory.Exists(containers))
            {
                foreach (var dir in Directory.EnumerateDirectories(containers).OrderBy(d => d, StringComparer.Ordinal))
                {
                    string id = Path.GetFileName(dir);
                    if (!IsDirectoryId(id)) continue;
                    string config = Path.Combine(dir, "config.v2.json");
                    if (IsInside(dir, "container folder") && UnixFile.LStat(config) == null)
                    {
                        _foldersWithoutConfig.Add(dir);
                        continue;
                    }
                    var c = new DockerContainer(this, id) { ConfigPath = config };
                    byId[id] = c;
                    _containers.Add(c);
                    // a folder that leads out of the root is still a container (its directories stay in use), but its config is not read
                    if (IsInside(dir, "container folder")) ReadContainerConfig(c);
                }
            }
            string mounts = Path.Combine(ImageRoot, "layerdb", "mounts");
            if (!Directory.Exists(mounts)) return;
            foreach (var dir in Directory.EnumerateDirectories(mounts).OrderBy(d => d, StringComparer.Ordinal))
            {
                string id = Path.GetFileName(dir);
                if (!IsInside(dir, "layerdb mount")) continue;
                if (!byId.TryGetValue(id, out var c))
                {
                    if (!IsDirectoryId(id)) continue;
                    c = new DockerContainer(this, id);
                    _mountsOnly.Add(c);
                }
                c.MountId = ReadDirectoryId(Path.Combine(dir, "mount-id"), "container mount-id");
                if (File.Exists(Path.Combine(dir, "init-id"))) c.InitId = ReadDirectoryId(Path.Combine(dir, "init-id"), "container init-id");
                c.ParentChainIdValue = ReadDigestFile(Path.Combine(dir, "parent"), "container layer parent", false);
                if (c.MountId != null && !DriverPathsInside(DriverDirectory(c.MountId), DiffDirectory(c.MountId), $"container {id}")) c.MountId = null;
                if (c.InitId != null && !DriverPathsInside(DriverDirectory(c.InitId), DiffDirectory(c.InitId), $"container {id} (init)")) c.InitId = null;
                if (c.MountId != null)
                {
                    c.UpperDir = DiffDirectory(c.MountId);
                    if (Driver == "overlay2") c.MergedPath = Path.Combine(Location, "overlay2", c.MountId, "merged");
                    c.IsMounted = IsMountPoint(c.MergedPath);
                }
                if (c.InitId != null) c.InitDir = DiffDirectory(c.InitId);
                var lowers = new List<string>();
                foreach (var layer in Chain(c.ParentChainIdValue))
                    if (layer.DiffPath != null) lowers.Add(layer.DiffPath);
                c.LowerDirs = new ValueList(lowers.ToArray());
            }
        }

        /// <summary>A layer and its parents, top first; stops at a missing parent or a loop.</summary>
        public IEnumerable<DockerLayer> Chain(Digest? top)
        {
            var seen = new HashSet<Digest>();
            var current = top;
            while (current != null && seen.Add(current) && _layers.TryGetValue(current, out var layer))
            {
                yield return layer;
                current = layer.ParentValue;
            }
        }

        private void ReadContainerConfig(DockerContainer c)
        {
            string file = c.ConfigPath;
            try
            {
                byte[] bytes = Boundary.ReadFile(file, "container config", 16L << 20);
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
            foreach (var layer in _layers.Values)
            {
                if (imagesOf.TryGetValue(layer.ChainIdValue, out var imgs))
                {
                    layer.ImageIdValues = imgs.Select(i => i.IdValue).OrderBy(d => d).ToArray();
                    layer.ImageNames = new ValueList(NamesOf(imgs));
                }
                if (containersOf.TryGetValue(layer.ChainIdValue, out var cs)) layer.ContainerIds = new ValueList(cs.ToArray());
            }
        }

        internal static string[] NamesOf(IEnumerable<DockerImage> images) =>
            images.SelectMany(i => i.RepoTags.Length > 0 ? i.RepoTags : i.RepoDigests).Distinct().OrderBy(n => n, StringComparer.Ordinal).ToArray();
    }
}
