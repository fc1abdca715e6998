using System.Collections.Generic;
using ImageTools.Oci;

namespace ImageTools.Stores
{
    /// <summary>One entry of a <c>docker save</c> archive's <c>manifest.json</c>.</summary>
    internal sealed class DockerManifestEntry
    {
        public string Config = "";
        public IReadOnlyList<string> RepoTags = new string[0];
        public IReadOnlyList<string> Layers = new string[0];
        public IReadOnlyDictionary<string, Descriptor> LayerSources = new Dictionary<string, Descriptor>();

        public static List<DockerManifestEntry> Parse(byte[] bytes, string what)
        {
            using var doc = Json.ParseDocument(bytes, what);
            if (doc.RootElement.ValueKind != System.Text.Json.JsonValueKind.Array)
                throw new ContentFormatException($"The {what} is a JSON {Json.Kind(doc.RootElement)}, expected an array.");
            var list = new List<DockerManifestEntry>();
            int i = 0;
            foreach (var e in doc.RootElement.EnumerateArray())
            {
                string w = $"{what}, entry {i++}";
                Json.RequireObject(e, w);
                var sources = new Dictionary<string, Descriptor>();
                var ls = Json.OptionalObject(e, "LayerSources", w);
                if (ls != null)
                    foreach (var p in ls.Value.EnumerateObject())
                        sources[p.Name] = Descriptor.FromJson(p.Value, $"{w}, LayerSources");
                list.Add(new DockerManifestEntry
                {
                    Config = Json.RequireString(e, "Config", w),
                    RepoTags = Json.StringArray(e, "RepoTags", w),
                    Layers = Json.StringArray(e, "Layers", w),
                    LayerSources = sources,
                });
            }
            return list;
        }
    }
}
