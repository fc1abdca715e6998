using System;
using System.Collections.Generic;
using System.IO;
using ImageTools.Bolt;

namespace ImageTools.Stores.Containerd
{
    /// <summary>
    /// CRI pod sandboxes from the files: sandbox containers (label io.cri-containerd.kind=sandbox, containerd 1.6),
    /// the sandboxes bucket (containerd 1.7+), and the sandbox folders under the root and the state directory.
    /// </summary>
    internal sealed class ContainerdSandboxReader
    {
        private static readonly byte[] SandboxesKey = BoltBytes.Utf8("sandboxes");
        private readonly ContainerdMetadata _metadata;

        public ContainerdSandboxReader(ContainerdMetadata metadata) { _metadata = metadata; }

        public List<ContainerdSandbox> Read(IReadOnlyList<string>? namespaces, string? statePath, Action<ImageToolsException> onError) =>
            _metadata.ReadOrReport(e => ReadAll(namespaces, statePath, e), onError, new List<ContainerdSandbox>());

        private List<ContainerdSandbox> ReadAll(IReadOnlyList<string>? namespaces, string? statePath, Action<ImageToolsException> onError)
        {
            var byId = new SortedDictionary<string, ContainerdSandbox>(StringComparer.Ordinal);
            var records = new ContainerdRecordReader(_metadata);
            var all = new List<string>(_metadata.NamespaceNames());
            var wanted = new HashSet<string>(namespaces ?? all, StringComparer.Ordinal);
            var knownAnywhere = new HashSet<string>(StringComparer.Ordinal);
            void Problem(string m) => onError(new ImageToolsException(ErrorId.MalformedContent, $"{_metadata.Root.MetadataPath}: {m}.", m, _metadata.Root.RootPath));
            foreach (var ns in all)
            {
                foreach (var c in records.Containers(ns, null, onError))
                {
                    if (c.CriKind != "sandbox") continue;
                    knownAnywhere.Add(c.Id);
                    if (!wanted.Contains(ns)) continue;
                    byId[c.Id] = new ContainerdSandbox(c.Id) { Namespace = ns, Image = c.Image, CreatedAtValue = c.CreatedAtValue, Labels = c.Labels, InMetadata = true };
                }
                var sandboxes = _metadata.Namespace(ns)?.GetBucket(SandboxesKey);
                if (sandboxes == null) continue;
                foreach (var b in sandboxes.EnumerateBuckets())
                {
                    string? id = ContainerdEncoding.Name(b, Problem);
                    if (id == null) continue;
                    knownAnywhere.Add(id);
                    if (!wanted.Contains(ns)) continue;
                    if (!byId.TryGetValue(id, out var s)) byId[id] = s = new ContainerdSandbox(id) { Namespace = ns, InMetadata = true };
                    s.CreatedAtValue ??= ContainerdEncoding.Time(b, ContainerdEncoding.CreatedAt, Problem);
                    if (s.Labels.Count == 0) s.Labels = ContainerdEncoding.Pairs(b, ContainerdMetadata.Labels, Problem);
                }
            }
            AddFolders(byId, knownAnywhere, Path.Combine(_metadata.Root.RootPath, ContainerdRoot.CriPlugin, "sandboxes"), false, namespaces == null);
            if (statePath != null)
                AddFolders(byId, knownAnywhere, Path.Combine(statePath, ContainerdRoot.CriPlugin, "sandboxes"), true, namespaces == null);
            return new List<ContainerdSandbox>(byId.Values);
        }

        private static void AddFolders(SortedDictionary<string, ContainerdSandbox> byId, HashSet<string> known, string folder, bool state, bool includeUnknown)
        {
            if (!Directory.Exists(folder)) return;
            foreach (var dir in Directory.EnumerateDirectories(folder))
            {
                string id = Path.GetFileName(dir);
                if (!byId.TryGetValue(id, out var s))
                {
                    if (known.Contains(id) || !includeUnknown) continue;
                    byId[id] = s = new ContainerdSandbox(id);
                }
                if (state) s.StateDirectory = dir; else s.RootDirectory = dir;
                var files = new List<string>(s.Files);
                foreach (var entry in Directory.EnumerateFileSystemEntries(dir))
                {
                    string name = Path.GetFileName(entry);
                    if (!files.Contains(name)) files.Add(name);
                }
                files.Sort(StringComparer.Ordinal);
                s.Files = new ValueList(files.ToArray());
            }
        }
    }
}
