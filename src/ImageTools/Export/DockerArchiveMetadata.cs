using System.Collections.Generic;
using System.Linq;
using ImageTools.Oci;

namespace ImageTools.Export
{
    /// <summary>One image as written: the root index.json names, and what manifest.json says about it.</summary>
    internal sealed class WrittenImage
    {
        public WrittenImage(SaveEntry entry, Descriptor root, Descriptor manifest, Descriptor config, IReadOnlyList<Descriptor> layers, IReadOnlyList<Descriptor> foreignLayers)
        {
            Entry = entry;
            Root = root;
            Manifest = manifest;
            Config = config;
            Layers = layers;
            ForeignLayers = foreignLayers;
        }

        public SaveEntry Entry { get; }
        public Descriptor Root { get; }
        public Descriptor Manifest { get; }
        public Descriptor Config { get; }
        public IReadOnlyList<Descriptor> Layers { get; }
        public IReadOnlyList<Descriptor> ForeignLayers { get; }
        public IReadOnlyList<ImageReference> Names => Entry.Names;
    }

    /// <summary>The classic loaders' files of a Docker 25+ archive: manifest.json and repositories.</summary>
    internal static class DockerArchiveMetadata
    {
        public static byte[] ManifestJson(IEnumerable<WrittenImage> images) => ContentJson.Write(w =>
        {
            w.WriteStartArray();
            foreach (var image in images)
            {
                w.WriteStartObject();
                w.WriteString("Config", BlobPath(image.Config.Digest));
                if (image.Names.Count == 0) w.WriteNull("RepoTags");
                else
                {
                    w.WriteStartArray("RepoTags");
                    foreach (var name in image.Names) w.WriteStringValue(name.FamiliarName);
                    w.WriteEndArray();
                }
                w.WriteStartArray("Layers");
                foreach (var layer in image.Layers) w.WriteStringValue(BlobPath(layer.Digest));
                w.WriteEndArray();
                if (image.ForeignLayers.Count > 0)
                {
                    w.WriteStartObject("LayerSources");
                    foreach (var foreign in image.ForeignLayers)
                    {
                        w.WritePropertyName(foreign.Digest.ToString());
                        foreign.WriteJson(w);
                    }
                    w.WriteEndObject();
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });

        /// <summary><c>{"repo":{"tag":"&lt;top layer hex&gt;"}}</c>; null when no image has a tag (docker writes no file then).</summary>
        public static byte[]? Repositories(IEnumerable<WrittenImage> images)
        {
            var repos = new SortedDictionary<string, SortedDictionary<string, string>>(System.StringComparer.Ordinal);
            foreach (var image in images)
            {
                var top = image.Layers.LastOrDefault() ?? image.Config;
                foreach (var name in image.Names.Where(n => n.Tag != null))
                {
                    if (!repos.TryGetValue(name.FamiliarRepository, out var tags)) repos[name.FamiliarRepository] = tags = new SortedDictionary<string, string>(System.StringComparer.Ordinal);
                    tags[name.Tag!] = top.Digest.Encoded;
                }
            }
            if (repos.Count == 0) return null;
            return ContentJson.Write(w =>
            {
                w.WriteStartObject();
                foreach (var repo in repos)
                {
                    w.WriteStartObject(repo.Key);
                    foreach (var tag in repo.Value) w.WriteString(tag.Key, tag.Value);
                    w.WriteEndObject();
                }
                w.WriteEndObject();
            });
        }

        public static string BlobPath(Digest d) => $"blobs/{d.Algorithm}/{d.Encoded}";
    }
}
