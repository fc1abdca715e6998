using System;
using System.IO;
using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ImageTools.Stores.Discovery
{
    /// <summary>
    /// The one setting of each daemon's configuration file that moves its store: Docker's daemon.json
    /// <c>data-root</c>, containerd's config.toml <c>root</c>, the registry's config.yml
    /// <c>storage.filesystem.rootdirectory</c>. Each returns the host path written there, or null when the file does not
    /// set it; a file that cannot be parsed, or sets it to something other than a string, is ConfigurationUnreadable.
    /// </summary>
    internal static class StoreConfigFiles
    {
        private const int MaxConfigBytes = 1 << 20;

        /// <summary>daemon.json's data-root (or its deprecated name, graph).</summary>
        public static string? DockerDataRoot(string file, string shownAs)
        {
            string text = ReadText(file, shownAs);
            try
            {
                using var doc = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
                if (doc.RootElement.ValueKind != JsonValueKind.Object) throw Unreadable(shownAs, file, "it is not a JSON object");
                foreach (var key in new[] { "data-root", "graph" })
                {
                    if (!doc.RootElement.TryGetProperty(key, out var v)) continue;
                    if (v.ValueKind != JsonValueKind.String) throw Unreadable(shownAs, file, $"'{key}' is not a string");
                    return v.GetString();
                }
                return null;
            }
            catch (JsonException e) { throw Unreadable(shownAs, file, e.Message, e); }
        }

        /// <summary>config.toml's top-level root.</summary>
        public static string? ContainerdRoot(string file, string shownAs)
        {
            string text = ReadText(file, shownAs);
            try { return TomlTopLevelString.Read(text, "root"); }
            catch (FormatException e) { throw Unreadable(shownAs, file, e.Message, e); }
        }

        /// <summary>config.yml's storage.filesystem.rootdirectory.</summary>
        public static string? RegistryRootDirectory(string file, string shownAs)
        {
            string text = ReadText(file, shownAs);
            var yaml = new YamlStream();
            try { yaml.Load(new StringReader(text)); }
            catch (YamlException e) { throw Unreadable(shownAs, file, e.Message, e); }
            if (yaml.Documents.Count == 0) return null;
            if (!(yaml.Documents[0].RootNode is YamlMappingNode top)) throw Unreadable(shownAs, file, "it is not a YAML mapping");
            YamlNode? node = top;
            foreach (var key in new[] { "storage", "filesystem", "rootdirectory" })
            {
                if (!(node is YamlMappingNode map)) throw Unreadable(shownAs, file, $"the parent of '{key}' is not a mapping");
                if (!map.Children.TryGetValue(new YamlScalarNode(key), out node)) return null;
            }
            if (!(node is YamlScalarNode scalar) || scalar.Value == null)
                throw Unreadable(shownAs, file, "storage.filesystem.rootdirectory is not a string");
            return scalar.Value;
        }

        private static string ReadText(string file, string shownAs)
        {
            var info = new FileInfo(file);
            if (info.Length > MaxConfigBytes) throw Unreadable(shownAs, file, $"it is {info.Length} bytes, more than a configuration file holds");
            try { return File.ReadAllText(file); }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException) { throw Unreadable(shownAs, file, e.Message, e); }
        }

        private static ImageToolsException Unreadable(string shownAs, string file, string why, Exception? inner = null) =>
            new ImageToolsException(ErrorId.ConfigurationUnreadable,
                $"Cannot read {shownAs} ({file}): {why}. The default places are still searched.", file, file, inner);
    }
}
