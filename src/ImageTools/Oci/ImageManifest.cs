using System.Collections.Generic;

namespace ImageTools.Oci
{
    /// <summary>An OCI image manifest or Docker schema 2 manifest (image-spec manifest.md).</summary>
    public sealed class ImageManifest
    {
        public string? MediaType { get; }
        public string? ArtifactType { get; }
        public Descriptor Config { get; }
        public IReadOnlyList<Descriptor> Layers { get; }
        public Descriptor? Subject { get; }
        public IReadOnlyDictionary<string, string> Annotations { get; }

        public ImageManifest(string? mediaType, Descriptor config, IReadOnlyList<Descriptor> layers,
            IReadOnlyDictionary<string, string>? annotations = null, Descriptor? subject = null, string? artifactType = null)
        {
            MediaType = mediaType;
            Config = config;
            Layers = layers;
            Annotations = annotations ?? new Dictionary<string, string>();
            Subject = subject;
            ArtifactType = artifactType;
        }

        public static ImageManifest Parse(byte[] json, string what = "image manifest")
        {
            using var doc = Json.ParseDocument(json, what);
            var root = Json.RequireObject(doc.RootElement, what);
            long schema = Json.OptionalInt64(root, "schemaVersion", what) ?? 0;
            if (schema != 2) throw new ContentFormatException($"The {what} has schemaVersion {schema}, expected 2 (schema 1 manifests are not supported).");
            var configElement = Json.OptionalObject(root, "config", what) ?? throw new ContentFormatException($"The {what} has no 'config'.");
            var config = Descriptor.FromJson(configElement, $"{what}, config");
            var layers = new List<Descriptor>();
            int i = 0;
            foreach (var l in Json.OptionalArray(root, "layers", what))
                layers.Add(Descriptor.FromJson(l, $"{what}, layers[{i++}]"));
            var subjectElement = Json.OptionalObject(root, "subject", what);
            return new ImageManifest(Json.OptionalString(root, "mediaType", what), config, layers,
                Json.StringMap(root, "annotations", what),
                subjectElement == null ? null : Descriptor.FromJson(subjectElement.Value, $"{what}, subject"),
                Json.OptionalString(root, "artifactType", what));
        }
    }
}
