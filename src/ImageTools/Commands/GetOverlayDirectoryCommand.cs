using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using ImageTools.Graph;
using ImageTools.Stores.Docker;

namespace ImageTools.Commands
{
    /// <summary>Tells what every overlay2 directory of a Docker data root belongs to: an image layer, a container, or nothing.</summary>
    /// <remarks>
    /// One object per overlay2/&lt;id&gt; (vfs/dir/&lt;id&gt; with the vfs driver): Kind (ImageLayer, ContainerLayer,
    /// ContainerInit, Orphan, Removing), the link short name, the lower directories resolved from lower through
    /// overlay2/l to directory ids (top first), the layer's ChainID and DiffID, the images that use it and the
    /// container that owns it. With -Size, DiffSize and DiffDiskUsage measure diff/ only (hard links once).
    /// This answers "which container owns /var/lib/docker/overlay2/&lt;id&gt;" without docker inspect and grep,
    /// and without a daemon. Pipe containers, images or layers in to get their directories.
    /// </remarks>
    /// <example>
    /// <code>Get-OverlayDirectory -Id 3f9c2a* | Select-Object Kind, ContainerName, ImageNames</code>
    /// <para>Which container (or image) owns /var/lib/docker/overlay2/3f9c2a…: one line instead of docker inspect $(docker ps -qa) | grep.</para>
    /// </example>
    /// <example>
    /// <code>Get-OverlayDirectory -Size | Sort-Object DiffSize -Descending | Select-Object -First 10 Id, Kind, ContainerName, ImageNames, DiffSize</code>
    /// <para>The ten largest overlay2 directories and what they belong to.</para>
    /// </example>
    /// <example>
    /// <code>Get-DockerContainer -Name web | Get-OverlayDirectory</code>
    /// <para>The container's own directories (read-write and init layer) and its image's layer directories.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "OverlayDirectory", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(OverlayDirectory))]
    public sealed class GetOverlayDirectoryCommand : DockerRootCmdlet
    {
        /// <summary>Only these directories: by folder id (whole, a unique prefix of 4+ characters, or a wildcard pattern), by the short link name in l/ (with or without l/), or by the path of the folder or of its diff/. A value that matches nothing is an error naming it.</summary>
        [Parameter(ParameterSetName = PathSet)]
        [Parameter(ParameterSetName = LiteralPathSet)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(OverlayDirectoryIdCompleter))]
        public string[]? Id { get; set; }

        /// <summary>Only the directories of these containers (name, id or id prefix): their read-write and init layers and their image's layers.</summary>
        [Parameter(ParameterSetName = PathSet)]
        [Parameter(ParameterSetName = LiteralPathSet)]
        [ArgumentCompleter(typeof(DockerContainerCompleter))]
        public string[]? ContainerId { get; set; }

        /// <summary>Only the layer directories of these images, selected by the one name rule (image ID, prefix, digest or name); a value that matches nothing writes ImageNotFound.</summary>
        [Parameter(ParameterSetName = PathSet)]
        [Parameter(ParameterSetName = LiteralPathSet)]
        [ArgumentCompleter(typeof(DockerImageIdCompleter))]
        public string[]? ImageId { get; set; }

        /// <summary>A container, image or layer from Get-DockerContainer, Get-DockerImage or Get-DockerLayer.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
        public PSObject[]? InputObject { get; set; }

        /// <summary>Also measure diff/ of each directory (DiffSize, DiffDiskUsage); reads every file's metadata, so it takes longer.</summary>
        [Parameter]
        public SwitchParameter Size { get; set; }

        /// <summary>Directories show no layer sizes: a layer's size and tar-split are read only if a layer object asks.</summary>
        protected override bool ReadsLayerDetails => false;

        private readonly Dictionary<DockerRoot, List<OverlayDirectory>> _scans = new Dictionary<DockerRoot, List<OverlayDirectory>>();

        /// <summary>-Size with nothing to filter: every directory is measured.</summary>
        private bool MeasuresAll => Size && ParameterSetName != InputObjectSet && Id == null && ContainerId == null && ImageId == null;

        /// <summary>overlay2/ files being read on another thread, by overlay2/ path.</summary>
        private readonly Dictionary<string, OverlayReadAhead> _readAheads = new Dictionary<string, OverlayReadAhead>(System.StringComparer.Ordinal);

        /// <summary>
        /// Starts, from one listing of overlay2/, what does not need the root's layer database: reading the link and
        /// lower files on another thread, so that reading the root's thousands of small files overlaps it, and with -Size
        /// the diff/ walks. Those run at the lowest CPU priority: at the same priority they took the cores from the
        /// layer database's reading and the whole listing was slower; so they take the time the reading leaves.
        /// </summary>
        private void StartReading(string path)
        {
            var ids = DockerRoot.LikelyOverlayDirectories(path, out string driverRoot);
            if (ids.Count == 0 || _readAheads.ContainsKey(driverRoot)) return;
            lock (_readAheads) _readAheads[driverRoot] = new OverlayReadAhead(driverRoot, ids);
            if (!MeasuresAll) return;
            var sizes = Sizes(idleOnly: true);
            var early = new Dictionary<string, ParallelDiskUsage.Measurement>(ids.Count, System.StringComparer.Ordinal);
            foreach (var id in ids) early[id] = sizes.Add(driverRoot, id, "diff");
            _earlyWalks[driverRoot] = early;
        }

        /// <summary>The -Size walks started before the root was read, by overlay2/ path and directory id.</summary>
        private readonly Dictionary<string, Dictionary<string, ParallelDiskUsage.Measurement>> _earlyWalks =
            new Dictionary<string, Dictionary<string, ParallelDiskUsage.Measurement>>(System.StringComparer.Ordinal);

        /// <summary>The walk started early for this very diff/ folder (overlay2/&lt;id&gt;/diff of the same overlay2/), or null.</summary>
        private ParallelDiskUsage.Measurement? EarlyWalk(DockerRoot root, OverlayDirectory d) =>
            root.Driver == "overlay2" && root.DriverRoot != null && _earlyWalks.TryGetValue(root.DriverRoot, out var early)
            && early.TryGetValue(d.Id, out var m) ? m : null;

        private List<OverlayDirectory> Scan(DockerRoot root)
        {
            if (_scans.TryGetValue(root, out var list)) return list;
            if (!root.DirectoriesMapped)
                WriteWarning($"{root.Location}: the {root.Driver} storage driver's directories are not mapped (only overlay2 and vfs are).");
            OverlayReadAhead? readAhead = null;
            if (root.DriverRoot != null) lock (_readAheads) _readAheads.TryGetValue(root.DriverRoot, out readAhead);
            var scanner = new OverlayScanner(root, readAhead);
            list = new List<OverlayDirectory>();
            // With -Size and nothing to filter, each diff/ walk is queued as soon as its directory is found (or was,
            // idle-only, from the listing of overlay2/); from now on this thread waits for them: they go at full speed
            if (MeasuresAll) Sizes().Hurry();
            foreach (var d in scanner.Scan())
            {
                list.Add(d);
                if (MeasuresAll) _queued[d] = EarlyWalk(root, d) ?? Measure(d);
            }
            readAhead?.Finish();
            foreach (var e in scanner.Errors) Report(e);
            _scans[root] = list;
            return list;
        }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == InputObjectSet)
            {
                foreach (var o in InputObject!)
                {
                    var root = RootOf(o.BaseObject);
                    if (root == null)
                    {
                        WriteError(ErrorRecords.Create(ErrorId.MalformedContent, $"Get-OverlayDirectory takes containers, images and layers from the Docker cmdlets, not a {o.BaseObject.GetType().Name}.", o));
                        continue;
                    }
                    var ids = IdsOf(root, o.BaseObject);
                    Emit(Scan(root).Where(d => ids.Contains(d.Id)).OrderBy(d => ids.IndexOf(d.Id)));
                }
                return;
            }
            var unmatchedImages = new UnmatchedNames(ImageId);
            var unmatchedDirs = new HashSet<string>(Id ?? new string[0]);
            var unmatchedContainers = new HashSet<string>(ContainerId ?? new string[0]);
            var searched = new List<string>();
            foreach (var root in Roots(StartReading))
            {
                searched.Add(root.Location);
                IEnumerable<OverlayDirectory> dirs = Scan(root);
                if (Id != null)
                {
                    var all = dirs.ToList();
                    var chosen = new HashSet<OverlayDirectory>();
                    foreach (var value in Id)
                    {
                        var wanted = value.IndexOf('/') > 0 && !value.StartsWith("l/", System.StringComparison.Ordinal)
                            ? SessionState.Path.GetUnresolvedProviderPathFromPSPath(value) : value;
                        var hits = all.Where(d => DirectoryMatches(d, wanted)).ToList();
                        if (hits.Count > 0) unmatchedDirs.Remove(value);
                        chosen.UnionWith(hits);
                    }
                    dirs = all.Where(chosen.Contains);
                }
                if (ContainerId != null)
                {
                    var containers = root.Containers.Where(c => ContainerId.Any(p => ContainerMatches(c, p))).ToList();
                    unmatchedContainers.RemoveWhere(p => containers.Any(c => ContainerMatches(c, p)));
                    var ids = new HashSet<string>(containers.SelectMany(c => IdsOf(root, c)));
                    dirs = dirs.Where(d => ids.Contains(d.Id));
                }
                if (ImageId != null)
                {
                    var ids = new HashSet<string>(SelectImages(root, ImageId, unmatchedImages).SelectMany(i => IdsOf(root, i)));
                    dirs = dirs.Where(d => ids.Contains(d.Id));
                }
                Emit(dirs);
            }
            if (searched.Count == 0) return;
            foreach (var value in unmatchedDirs)
                WriteError(ErrorRecords.Create(ErrorId.FileNotFound,
                    $"No overlay directory of {string.Join(", ", searched)} matches '{value}' (a folder id or a unique prefix of {ImageNameRule.MinimumIdPrefix}+ characters, an l/ link name, or the path of a folder or its diff).", value));
            foreach (var value in unmatchedContainers)
                WriteError(ErrorRecords.Create(ErrorId.FileNotFound, $"No container of {string.Join(", ", searched)} matches '{value}'.", value));
            WriteUnmatched(unmatchedImages);
        }

        /// <summary>A directory by folder id (prefix, wildcard), by l/ link name, or by the path of the folder or its diff/.</summary>
        private static bool DirectoryMatches(OverlayDirectory d, string value)
        {
            if (MatchesId(value, d.Id)) return true;
            if (d.Link != null)
            {
                var link = value.StartsWith("l/", System.StringComparison.Ordinal) ? value.Substring(2) : value;
                if (string.Equals(link, d.Link, System.StringComparison.Ordinal)) return true;
            }
            if (value.IndexOf('/') < 0) return false;
            var path = value.TrimEnd('/');
            return string.Equals(path, d.Path.TrimEnd('/'), System.StringComparison.Ordinal)
                || string.Equals(path, d.DiffPath.TrimEnd('/'), System.StringComparison.Ordinal);
        }

        /// <summary>Directory ids of an object: a container's upper and init layer then its image's layers (top first); an image's layers (bottom first).</summary>
        private static List<string> IdsOf(DockerRoot root, object o)
        {
            var ids = new List<string>();
            switch (o)
            {
                case DockerContainer c:
                    if (c.MountId != null) ids.Add(c.MountId);
                    if (c.InitId != null) ids.Add(c.InitId);
                    ids.AddRange(root.Chain(c.ParentChainIdValue).Where(l => l.CacheId != null).Select(l => l.CacheId!));
                    break;
                case DockerImage i:
                    ids.AddRange(i.LayerChainIdValues.Select(root.FindLayer).Where(l => l?.CacheId != null).Select(l => l!.CacheId!));
                    break;
                case DockerLayer l:
                    if (l.CacheId != null) ids.Add(l.CacheId);
                    break;
                case OverlayDirectory d:
                    ids.Add(d.Id);
                    break;
            }
            return ids;
        }

        private ParallelDiskUsage? _sizes;

        /// <summary>The walker of the diff/ folders, made on first use: idle-only when that use is the early walks, which <see cref="ParallelDiskUsage.Hurry"/> later brings to full speed.</summary>
        private ParallelDiskUsage Sizes(bool idleOnly = false) => _sizes ??= new ParallelDiskUsage(ParallelDiskUsage.DefaultWorkers, idleOnly);

        private ParallelDiskUsage.Measurement Measure(OverlayDirectory d)
        {
            var (folder, name, leaf) = d.DiffPathParts;
            return Sizes().Add(folder, name, leaf);
        }

        /// <summary>Walks started while the directories were being scanned (every directory is wanted: no filter).</summary>
        private readonly Dictionary<OverlayDirectory, ParallelDiskUsage.Measurement> _queued = new Dictionary<OverlayDirectory, ParallelDiskUsage.Measurement>();

        private const int ProgressIntervalMilliseconds = 100;

        /// <summary>
        /// Writes the directories; with -Size, each once its diff/ is measured. The folders are walked several at once
        /// on background threads, and each object is written as soon as its own walk (and those before it) is done.
        /// </summary>
        private void Emit(IEnumerable<OverlayDirectory> dirs)
        {
            if (!Size) { foreach (var d in dirs) WriteObject(d); return; }
            var list = dirs.ToList();
            var sizes = Sizes();
            var measurements = list.Select(d => _queued.TryGetValue(d, out var m) ? m : Measure(d)).ToList();
            var progress = new ProgressRecord(1, "Get-OverlayDirectory", "Measuring diff/ folders");
            // a few updates a second, not one per ten folders: each costs the pipeline more than a folder's object
            var sinceShown = System.Diagnostics.Stopwatch.StartNew();
            long nextShown = 0;
            for (int i = 0; i < list.Count; i++)
            {
                if (list.Count > 20 && sinceShown.ElapsedMilliseconds >= nextShown)
                {
                    nextShown = sinceShown.ElapsedMilliseconds + ProgressIntervalMilliseconds;
                    progress.PercentComplete = i * 100 / list.Count;
                    progress.StatusDescription = list[i].Id;
                    WriteProgress(progress);
                }
                if (!sizes.Wait(measurements[i])) throw new PipelineStoppedException();
                list[i].DiffSize = measurements[i].Bytes;
                list[i].DiffDiskUsage = measurements[i].Disk;
                WriteObject(list[i]);
            }
            if (list.Count > 20) ProgressEnd.Complete(this, progress);
        }

        protected override void StopProcessing() => StopBackground();

        protected override void EndProcessing()
        {
            base.EndProcessing();
            StopBackground();
        }

        private void StopBackground()
        {
            _sizes?.Dispose();
            lock (_readAheads) foreach (var r in _readAheads.Values) r.Stop(); // StopProcessing comes on another thread
        }
    }
}
