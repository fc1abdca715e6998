using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace ImageTools.Oci
{
    /// <summary>Writes manifests and indexes as compact JSON, field order as containerd and Docker write them.</summary>
    public static class ContentJson
    {
        public static byte[] Serialize(ImageManifest manifest)
        {
            return Write(w =>
            {
                w.WriteStartObject();
                w.WriteNumber("schemaVersion", 2);
                if (manifest.MediaType != null) w.WriteString("mediaType", manifest.MediaType);
                if (manifest.ArtifactType != null) w.WriteString("artifactType", manifest.ArtifactType);
                w.WritePropertyName("config");
                manifest.Config.WriteJson(w);
                w.WriteStartArray("layers");
                foreach (var l in manifest.Layers) l.WriteJson(w);
                w.WriteEndArray();
                if (manifest.Subject != null)
                {
                    w.WritePropertyName("subject");
                    manifest.Subject.WriteJson(w);
                }
                WriteAnnotations(w, manifest.Annotations);
                w.WriteEndObject();
            });
        }

        public static byte[] SerializeIndex(IEnumerable<Descriptor> manifests, IReadOnlyDictionary<string, string>? annotations = null)
        {
            return Write(w =>
            {
                w.WriteStartObject();
                w.WriteNumber("schemaVersion", 2);
                w.WriteString("mediaType", MediaTypes.OciIndex);
                w.WriteStartArray("manifests");
                foreach (var m in manifests) m.WriteJson(w);
                w.WriteEndArray();
                if (annotations != null) WriteAnnotations(w, annotations);
                w.WriteEndObject();
            });
        }

        internal static void WriteAnnotations(Utf8JsonWriter w, IReadOnlyDictionary<string, string> annotations)
        {
            if (annotations.Count == 0) return;
            w.WriteStartObject("annotations");
            foreach (var kv in annotations.OrderBy(k => k.Key, System.StringComparer.Ordinal)) w.WriteString(kv.Key, kv.Value);
            w.WriteEndObject();
        }

        internal static byte[] Write(System.Action<Utf8JsonWriter> body)
        {
            using var ms = new MemoryStream();
            using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
                body(w);
            return ms.ToArray();
        }
    }
}
