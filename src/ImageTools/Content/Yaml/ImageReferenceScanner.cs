using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using ImageTools.Oci;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ImageTools.Content.Yaml
{
    /// <summary>
    /// Finds the image references in Kubernetes manifests (pod templates of the workload kinds, <c>List</c>
    /// items), Helm-rendered output (many documents in one file) and Compose files (<c>services.*.image</c>).
    /// </summary>
    /// <remarks>
    /// Each document is parsed on its own (<see cref="YamlDocumentSplitter"/>), so a malformed one is reported
    /// with its line and the others are still read. Line numbers are the file's, 1-based, of the image value.
    /// </remarks>
    internal static class ImageReferenceScanner
    {
        private const int MaxListDepth = 8;
        private const long MaxFileSize = 64L << 20;

        /// <summary>Reads the whole file (IOExceptions surface here, before anything is found) and scans it.</summary>
        public static IEnumerable<ReferenceFinding> ScanFile(string path)
        {
            string text;
            using (var reader = new StreamReader(new MemoryStream(ContentFiles.ReadAll(path, MaxFileSize, "a YAML file"), false), new UTF8Encoding(false), true))
                text = reader.ReadToEnd();
            return Scan(text, path);
        }

        public static IEnumerable<ReferenceFinding> Scan(string text, string file)
        {
            foreach (var chunk in YamlDocumentSplitter.Split(text))
                foreach (var finding in ScanChunk(chunk, file))
                    yield return finding;
        }

        private static List<ReferenceFinding> ScanChunk(YamlChunk chunk, string file)
        {
            var found = new List<ReferenceFinding>();
            var stream = new YamlStream();
            try
            {
                stream.Load(new StringReader(chunk.Text));
            }
            catch (YamlException e)
            {
                int line = chunk.FileLine(Math.Max(1, e.Start.Line));
                found.Add(new ReferenceFinding(FindingKind.MalformedDocument, file, line,
                    $"{file}:{line}: the YAML document starting at line {chunk.FirstLine} is malformed: {Describe(e)} Its image references are not listed; the other documents are."));
                return found;
            }
            foreach (var document in stream.Documents)
            {
                var scan = new DocumentScan(file, chunk, found);
                if (document.RootNode is YamlMappingNode root) scan.Root(root);
            }
            // In the order of the file, whatever the order of the keys (initContainers may come after containers).
            return found.OrderBy(f => f.Line).ToList();
        }

        private static string Describe(YamlException e)
        {
            // YamlDotNet's messages start with "(Line: 3, Col: 5, Idx: ..) - (...): "; those are the piece's lines, not the file's.
            string message = e.Message;
            int cut = message.IndexOf("): ", StringComparison.Ordinal);
            if (message.StartsWith("(Line:", StringComparison.Ordinal) && cut > 0) message = message.Substring(cut + 3);
            if (e.InnerException != null && e.InnerException.Message.Length > 0 && !message.Contains(e.InnerException.Message))
                message += " (" + e.InnerException.Message + ")";
            message = message.Trim();
            return message.EndsWith(".", StringComparison.Ordinal) ? message : message + ".";
        }

        /// <summary>The walk of one document, collecting findings.</summary>
        private sealed class DocumentScan
        {
            private readonly string _file;
            private readonly YamlChunk _chunk;
            private readonly List<ReferenceFinding> _found;

            public DocumentScan(string file, YamlChunk chunk, List<ReferenceFinding> found)
            {
                _file = file;
                _chunk = chunk;
                _found = found;
            }

            public void Root(YamlMappingNode root)
            {
                string? kind = ScalarAt(root, "kind");
                if (kind != null) Kubernetes(root, kind, 0);
                else if (Child(root, "services") is YamlMappingNode services) Compose(services);
            }

            private void Kubernetes(YamlMappingNode obj, string kind, int depth)
            {
                if (kind.EndsWith("List", StringComparison.Ordinal) && Child(obj, "items") is YamlSequenceNode items)
                {
                    if (depth >= MaxListDepth) return;
                    foreach (var item in items)
                        if (item is YamlMappingNode itemMap && ScalarAt(itemMap, "kind") is string itemKind)
                            Kubernetes(itemMap, itemKind, depth + 1);
                    return;
                }
                var metadata = Child(obj, "metadata") as YamlMappingNode;
                var owner = new Owner(kind, metadata == null ? null : ScalarAt(metadata, "name"), metadata == null ? null : ScalarAt(metadata, "namespace"));
                YamlMappingNode? podSpec = kind switch
                {
                    "Pod" => Path(obj, "spec"),
                    "PodTemplate" => Path(obj, "template", "spec"),
                    "CronJob" => Path(obj, "spec", "jobTemplate", "spec", "template", "spec"),
                    // Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, and custom
                    // kinds shaped like them (Argo Rollout, Knative Service, OpenKruise CloneSet, ...).
                    _ => Path(obj, "spec", "template", "spec"),
                };
                if (podSpec == null) return;
                Containers(podSpec, "initContainers", ReferenceContainerType.InitContainer, owner);
                Containers(podSpec, "containers", ReferenceContainerType.Container, owner);
                Containers(podSpec, "ephemeralContainers", ReferenceContainerType.EphemeralContainer, owner);
            }

            private void Containers(YamlMappingNode podSpec, string key, ReferenceContainerType type, Owner owner)
            {
                if (!(Child(podSpec, key) is YamlSequenceNode list)) return;
                foreach (var entry in list)
                {
                    if (!(entry is YamlMappingNode container)) continue;
                    var image = Child(container, "image");
                    if (image == null) continue;
                    Image(image, owner, ScalarAt(container, "name"), type);
                }
            }

            private void Compose(YamlMappingNode services)
            {
                foreach (var pair in services.Children)
                {
                    if (!(pair.Key is YamlScalarNode nameNode) || !(pair.Value is YamlMappingNode service)) continue;
                    var image = Merged(service, "image", 0);
                    if (image == null) continue;
                    string? containerName = Merged(service, "container_name", 0) is YamlScalarNode c ? c.Value : null;
                    Image(image, new Owner("Compose", nameNode.Value, null), containerName ?? nameNode.Value, ReferenceContainerType.Service);
                }
            }

            /// <summary>A key of a mapping, looking into YAML merge keys (<c>&lt;&lt;: *defaults</c>, common in Compose files).</summary>
            private static YamlNode? Merged(YamlMappingNode map, string key, int depth)
            {
                var direct = Child(map, key);
                if (direct != null || depth > 8) return direct;
                var merge = Child(map, "<<");
                if (merge is YamlMappingNode single) return Merged(single, key, depth + 1);
                if (merge is YamlSequenceNode many)
                    foreach (var item in many)
                        if (item is YamlMappingNode m && Merged(m, key, depth + 1) is YamlNode found)
                            return found;
                return null;
            }

            private void Image(YamlNode node, Owner owner, string? container, ReferenceContainerType type)
            {
                int line = _chunk.FileLine(node.Start.Line);
                string written;
                bool isText = node is YamlScalarNode;
                if (node is YamlScalarNode scalar)
                    written = IsNull(scalar) ? "" : scalar.Value ?? "";
                else
                    written = RawText(node); // e.g. an unquoted {{ .Values.image }}, which YAML reads as a flow mapping

                var info = new ImageReferenceInfo
                {
                    Reference = written,
                    File = _file,
                    Line = line,
                    Column = (int)node.Start.Column,
                    Kind = owner.Kind,
                    ObjectName = owner.Name,
                    Namespace = owner.Namespace,
                    Container = container,
                    ContainerTypeValue = type,
                    Source = _chunk.Source,
                };
                string where = $"{_file}:{line}: {Describe(info)}";
                if (HasPlaceholder(written))
                {
                    _found.Add(new ReferenceFinding(FindingKind.TemplatedReference, _file, line,
                        $"{where}: skipped image '{written}': it holds a template placeholder. " +
                        (type == ReferenceContainerType.Service
                            ? "Set the variables and resolve the file first (docker compose config > resolved.yaml), then read the output."
                            : "Render the chart first (helm template ... > rendered.yaml), then read the output."), info));
                    return;
                }
                string? reason;
                ImageReference? parsed = null;
                if (!isText) reason = "the image is a YAML " + (node is YamlSequenceNode ? "sequence" : "mapping") + ", not a string";
                else ImageReference.TryParse(written, out parsed, out reason);
                if (parsed == null)
                {
                    _found.Add(new ReferenceFinding(FindingKind.InvalidReference, _file, line,
                        $"{where}: image '{written}' is not a valid image reference: {reason}.", info));
                    return;
                }
                info.NormalizedReference = (parsed.IsNameOnly ? parsed.WithTag("latest") : parsed).ToString();
                _found.Add(new ReferenceFinding(FindingKind.Reference, _file, line, where, info));
            }

            private static string Describe(ImageReferenceInfo info)
            {
                var text = new StringBuilder();
                if (info.ContainerTypeValue == ReferenceContainerType.Service)
                    text.Append("service '").Append(info.ObjectName).Append("' of a Compose file");
                else
                {
                    text.Append(info.ContainerTypeValue switch
                    {
                        ReferenceContainerType.InitContainer => "init container",
                        ReferenceContainerType.EphemeralContainer => "ephemeral container",
                        _ => "container",
                    });
                    text.Append(" '").Append(info.Container ?? "").Append("' of ").Append(info.Kind).Append(" '").Append(info.ObjectName ?? "").Append('\'');
                    if (info.Namespace != null) text.Append(" in namespace '").Append(info.Namespace).Append('\'');
                }
                return text.ToString();
            }

            /// <summary>
            /// The source text of a non-scalar value from its start to the end of that line (YamlDotNet's End mark
            /// of a collection is the end of its opening bracket, so the rest of the line is taken instead).
            /// </summary>
            private string RawText(YamlNode node)
            {
                long start = node.Start.Index;
                if (start < 0 || start >= _chunk.Text.Length) return "";
                int end = _chunk.Text.IndexOf('\n', (int)start);
                string text = _chunk.Text.Substring((int)start, (end < 0 ? _chunk.Text.Length : end) - (int)start);
                int comment = text.IndexOf(" #", StringComparison.Ordinal);
                return (comment >= 0 ? text.Substring(0, comment) : text).Trim();
            }
        }

        private sealed class Owner
        {
            public Owner(string kind, string? name, string? ns)
            {
                Kind = kind;
                Name = name;
                Namespace = ns;
            }

            public string Kind { get; }
            public string? Name { get; }
            public string? Namespace { get; }
        }

        /// <summary>Go/Helm templates (<c>{{ }}</c>) and Compose/shell interpolation (<c>${VAR}</c>).</summary>
        internal static bool HasPlaceholder(string value) =>
            value.IndexOf("{{", StringComparison.Ordinal) >= 0 || value.IndexOf("${", StringComparison.Ordinal) >= 0;

        private static bool IsNull(YamlScalarNode scalar) =>
            scalar.Style == ScalarStyle.Plain && (scalar.Value == null || scalar.Value.Length == 0 || scalar.Value == "~" ||
                                                  scalar.Value == "null" || scalar.Value == "Null" || scalar.Value == "NULL");

        private static YamlNode? Child(YamlMappingNode map, string key)
        {
            foreach (var pair in map.Children)
                if (pair.Key is YamlScalarNode k && k.Value == key) return pair.Value;
            return null;
        }

        private static string? ScalarAt(YamlMappingNode map, string key) =>
            Child(map, key) is YamlScalarNode s && !IsNull(s) ? s.Value : null;

        private static YamlMappingNode? Path(YamlMappingNode map, params string[] keys)
        {
            YamlMappingNode? current = map;
            foreach (var key in keys)
            {
                current = current == null ? null : Child(current, key) as YamlMappingNode;
                if (current == null) return null;
            }
            return current;
        }
    }
}
