using System.Collections.Generic;
using System.Text.Json;

namespace ImageTools.Oci
{
    /// <summary>An OCI image index or Docker manifest list (image-spec image-index.md).</summary>
    public sealed class ImageIndex
    {
        public int SchemaVersion { get; }
        public string? MediaType { get; }
        public IReadOnlyList<Descriptor> Manifests { get; }
        public IReadOnlyDictionary<string, string> Annotations { get; }

        private ImageIndex(int schemaVersion, string? mediaType, IReadOnlyList<Descriptor> manifests, IReadOnlyDictionary<string, string> annotations)
        {
            SchemaVersion = schemaVersion;
            MediaType = mediaType;
            Manifests = manifests;
            Annotations = annotations;
        }

        public static ImageIndex Parse(byte[] json, string what = "image index") => Parse(json, what, null);

        /// <summary>
        /// Parses an index, leaving out the descriptors that are malformed (a digest that is not a digest, a missing
        /// size) and describing each in <paramref name="problems"/>: one bad entry of an image layout's index.json must
        /// not hide the others (image-spec: implementations should not error on entries they cannot use).
        /// </summary>
        public static ImageIndex ParseLenient(byte[] json, string what, List<ContentFormatException> problems) => Parse(json, what, problems);

        private static ImageIndex Parse(byte[] json, string what, List<ContentFormatException>? problems)
        {
            using var doc = Json.ParseDocument(json, what);
            var root = Json.RequireObject(doc.RootElement, what);
            long schema = Json.OptionalInt64(root, "schemaVersion", what) ?? 0;
            if (schema != 2) throw new ContentFormatException($"The {what} has schemaVersion {schema}, expected 2.");
            var manifests = new List<Descriptor>();
            int i = 0;
            foreach (var m in Json.OptionalArray(root, "manifests", what))
            {
                string where = $"{what}, manifests[{i++}]";
                if (problems == null) { manifests.Add(Descriptor.FromJson(m, where)); continue; }
                try { manifests.Add(Descriptor.FromJson(m, where)); }
                catch (ContentFormatException e) { problems.Add(new ContentFormatException(e.Message + " The entry is skipped.", e.InnerException)); }
            }
            return new ImageIndex(2, Json.OptionalString(root, "mediaType", what), manifests, Json.StringMap(root, "annotations", what));
        }
    }
}
