using System;
using System.Collections.Generic;
using System.Text.Json;

namespace ImageTools.Oci
{
    /// <summary>
    /// A content descriptor: what a blob is, its digest and its size
    /// (https://github.com/opencontainers/image-spec/blob/main/descriptor.md).
    /// </summary>
    public sealed class Descriptor
    {
        public string MediaType { get; }
        public Digest Digest { get; }
        public long Size { get; }
        public IReadOnlyDictionary<string, string> Annotations { get; }
        public Platform? Platform { get; }
        public IReadOnlyList<string> Urls { get; }
        public string? ArtifactType { get; }

        public Descriptor(string mediaType, Digest digest, long size,
            IReadOnlyDictionary<string, string>? annotations = null, Platform? platform = null,
            IReadOnlyList<string>? urls = null, string? artifactType = null)
        {
            if (size < 0) throw new ContentFormatException($"The descriptor of {digest} has a negative size ({size}).");
            MediaType = mediaType ?? "";
            Digest = digest ?? throw new ArgumentNullException(nameof(digest));
            Size = size;
            Annotations = annotations ?? new Dictionary<string, string>();
            Platform = platform;
            Urls = urls ?? Array.Empty<string>();
            ArtifactType = artifactType;
        }

        public string? Annotation(string key) => Annotations.TryGetValue(key, out var v) ? v : null;

        public Descriptor WithAnnotations(IReadOnlyDictionary<string, string> annotations) =>
            new Descriptor(MediaType, Digest, Size, annotations, Platform, Urls, ArtifactType);

        internal static Descriptor FromJson(JsonElement e, string what)
        {
            Json.RequireObject(e, what);
            string mediaType = Json.OptionalString(e, "mediaType", what) ?? "";
            string digestText = Json.RequireString(e, "digest", what);
            Digest digest;
            try { digest = Digest.Parse(digestText); }
            catch (InvalidDigestException ex) { throw new ContentFormatException($"In the {what}: {ex.Message}", ex); }
            long size = Json.OptionalInt64(e, "size", what) ?? throw new ContentFormatException($"The {what} ({digestText}) has no 'size'.");
            if (size < 0) throw new ContentFormatException($"The {what} ({digestText}) has a negative size ({size}).");
            Platform? platform = null;
            var p = Json.OptionalObject(e, "platform", what);
            if (p != null)
            {
                platform = new Platform(
                    Json.OptionalString(p.Value, "os", what) ?? "",
                    Json.OptionalString(p.Value, "architecture", what) ?? "",
                    Json.OptionalString(p.Value, "variant", what),
                    Json.OptionalString(p.Value, "os.version", what),
                    Json.StringArray(p.Value, "os.features", what));
            }
            return new Descriptor(mediaType, digest, size,
                Json.StringMap(e, "annotations", what), platform,
                Json.StringArray(e, "urls", what), Json.OptionalString(e, "artifactType", what));
        }

        internal void WriteJson(Utf8JsonWriter w)
        {
            w.WriteStartObject();
            w.WriteString("mediaType", MediaType);
            w.WriteString("digest", Digest.ToString());
            w.WriteNumber("size", Size);
            if (Urls.Count > 0)
            {
                w.WriteStartArray("urls");
                foreach (var u in Urls) w.WriteStringValue(u);
                w.WriteEndArray();
            }
            ContentJson.WriteAnnotations(w, Annotations);
            if (Platform != null)
            {
                w.WriteStartObject("platform");
                w.WriteString("architecture", Platform.Architecture);
                w.WriteString("os", Platform.Os);
                if (Platform.OsVersion != null) w.WriteString("os.version", Platform.OsVersion);
                if (Platform.Variant != null) w.WriteString("variant", Platform.Variant);
                w.WriteEndObject();
            }
            if (ArtifactType != null) w.WriteString("artifactType", ArtifactType);
            w.WriteEndObject();
        }

        public override string ToString() => $"{MediaType} {Digest} ({Size} bytes)";
    }
}
