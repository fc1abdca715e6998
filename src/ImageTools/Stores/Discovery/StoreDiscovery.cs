using System;
using System.Collections.Generic;
using System.IO;

namespace ImageTools.Stores.Discovery
{
    /// <summary>
    /// Every image store of a host, found the way its daemons find them: from their configuration files first, then in
    /// their default places, for the system daemons and for each user's rootless ones. Every path is taken under the
    /// host's root (<see cref="HostTree"/>). A configuration file that cannot be parsed is reported and the default
    /// places are still searched; a configured place that is missing is a warning, one that holds no store yet (a daemon
    /// installed and never used) a verbose note.
    /// </summary>
    internal sealed class StoreDiscovery
    {
        private readonly HostTree _tree;
        private readonly Action<ImageToolsException> _report;
        private readonly Action<string> _warn;
        private readonly Action<string> _verbose;
        private readonly List<StoreLocation> _found = new List<StoreLocation>();
        private readonly HashSet<string> _seen = new HashSet<string>(StringComparer.Ordinal);

        private StoreDiscovery(HostTree tree, Action<ImageToolsException> report, Action<string> warn, Action<string> verbose)
        {
            _tree = tree; _report = report; _warn = warn; _verbose = verbose;
        }

        /// <summary>The stores under <paramref name="tree"/>, configured places first, each folder once.</summary>
        public static IReadOnlyList<StoreLocation> Find(HostTree tree, Action<ImageToolsException> report, Action<string> warn, Action<string> verbose)
        {
            var d = new StoreDiscovery(tree, report, warn, verbose);
            d.Search(StoreKind.DockerRoot, "/etc/docker/daemon.json", "data-root", StoreConfigFiles.DockerDataRoot, "/var/lib/docker");
            d.Search(StoreKind.Containerd, "/etc/containerd/config.toml", "root", StoreConfigFiles.ContainerdRoot, "/var/lib/containerd");
            // Debian's docker-registry keeps its storage in /var/lib/docker-registry, the registry image in /var/lib/registry.
            d.Search(StoreKind.Registry, "/etc/docker/registry/config.yml", "storage.filesystem.rootdirectory", StoreConfigFiles.RegistryRootDirectory,
                "/var/lib/docker-registry", "/var/lib/registry");
            foreach (var user in tree.FolderNames("/home"))
            {
                string home = "/home/" + user;
                d.Search(StoreKind.DockerRoot, home + "/.config/docker/daemon.json", "data-root", StoreConfigFiles.DockerDataRoot, home + "/.local/share/docker");
                d.Search(StoreKind.Containerd, home + "/.config/containerd/config.toml", "root", StoreConfigFiles.ContainerdRoot, home + "/.local/share/containerd");
            }
            return d._found;
        }

        private void Search(StoreKind kind, string configFile, string key, Func<string, string, string?> readSetting, params string[] defaults)
        {
            string? configured = null;
            string source = configFile.TrimStart('/') + " " + key;
            try
            {
                string local = _tree.Resolve(configFile);
                var st = Docker.UnixFile.LStat(local);
                // a FIFO or device in a mounted disk would block or never end: only a regular file is read
                if (st != null && !st.Value.IsDirectory && !st.Value.IsRegular)
                    throw new ImageToolsException(ErrorId.NotARegularFile,
                        $"{configFile} under {_tree.Root} ({local}) is not a regular file; it is not read. The default places are still searched.", local, local);
                if (st != null && st.Value.IsRegular) configured = readSetting(local, configFile);
            }
            catch (Exception e) when (ExpectedFailures.IsExpected(e))
            {
                _report(e as ImageToolsException ?? new ImageToolsException(ErrorId.ConfigurationUnreadable,
                    $"Cannot read {configFile} under {_tree.Root}: {e.Message}. The default places are still searched.", configFile, _tree.Root, e));
            }
            if (!string.IsNullOrEmpty(configured)) Consider(kind, configured!, source, isConfigured: true);
            foreach (var place in defaults) Consider(kind, place, "default", isConfigured: false);
        }

        private void Consider(StoreKind kind, string hostPath, string source, bool isConfigured)
        {
            string local;
            try { local = _tree.Resolve(hostPath); }
            catch (Exception e) when (ExpectedFailures.IsExpected(e))
            {
                _report(e as ImageToolsException ?? new ImageToolsException(ErrorId.StoreUnreadable, $"Cannot look at {hostPath} under {_tree.Root}: {e.Message}", hostPath, _tree.Root, e));
                return;
            }
            if (_seen.Contains(local)) return;
            bool exists = Directory.Exists(local);
            bool recognized;
            try { recognized = exists && Recognize(kind, local); }
            catch (Exception e) when (ExpectedFailures.IsExpected(e))
            {
                _report(new ImageToolsException(ErrorId.StoreUnreadable, $"Cannot look into {local}: {e.Message}", local, local, e));
                return;
            }
            if (!recognized)
            {
                if (isConfigured && !exists) _warn($"{source} names {hostPath}, which does not exist ({local}).");
                else if (exists) _verbose($"{hostPath} ({source}) holds no {Describe(kind)} yet ({local}).");
                return;
            }
            _seen.Add(local);
            _found.Add(new StoreLocation(kind, local, _tree.HostPathOf(local), source));
        }

        private static bool Recognize(StoreKind kind, string path) => kind switch
        {
            StoreKind.DockerRoot => Docker.DockerRootStore.Recognize(path),
            StoreKind.Containerd => Containerd.ContainerdRoot.Recognize(path),
            StoreKind.Registry => Registry.RegistryStore.Recognize(path),
            _ => false,
        };

        private static string Describe(StoreKind kind) => kind switch
        {
            StoreKind.DockerRoot => "Docker data root",
            StoreKind.Containerd => "containerd root",
            _ => "registry storage",
        };
    }
}
