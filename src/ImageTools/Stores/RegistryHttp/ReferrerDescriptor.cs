using System.Collections.Generic;
using ImageTools.Oci;

namespace ImageTools.Stores.RegistryHttp
{
    /// <summary>The descriptor a referrers list holds for a manifest (image-spec and distribution-spec, "Listing Referrers").</summary>
    public static class ReferrerDescriptor
    {
        /// <summary>
        /// The manifest's media type, digest and size; its artifactType, or the config's media type when it has none
        /// (an index without artifactType has none); every annotation of the manifest.
        /// </summary>
        public static Descriptor For(byte[] bytes, Digest digest, string mediaType, string what)
        {
            if (MediaTypes.IsIndex(mediaType))
            {
                var index = ImageIndex.Parse(bytes, what);
                return new Descriptor(mediaType, digest, bytes.Length, index.Annotations, artifactType: ArtifactTypeOf(bytes, what));
            }
            var manifest = ImageManifest.Parse(bytes, what);
            string? artifactType = manifest.ArtifactType ?? (string.IsNullOrEmpty(manifest.Config.MediaType) ? null : manifest.Config.MediaType);
            return new Descriptor(mediaType, digest, bytes.Length, new Dictionary<string, string>(CopyOf(manifest.Annotations)), artifactType: artifactType);
        }

        /// <summary>The subject a manifest or index names, or null.</summary>
        public static Descriptor? SubjectOf(byte[] bytes, string mediaType, string what)
        {
            using var doc = Json.ParseDocument(bytes, what);
            var root = Json.RequireObject(doc.RootElement, what);
            var subject = Json.OptionalObject(root, "subject", what);
            return subject == null ? null : Descriptor.FromJson(subject.Value, what + ", subject");
        }

        private static string? ArtifactTypeOf(byte[] bytes, string what)
        {
            using var doc = Json.ParseDocument(bytes, what);
            return Json.OptionalString(Json.RequireObject(doc.RootElement, what), "artifactType", what);
        }

        private static IDictionary<string, string> CopyOf(IReadOnlyDictionary<string, string> map)
        {
            var copy = new Dictionary<string, string>();
            foreach (var kv in map) copy[kv.Key] = kv.Value;
            return copy;
        }
    }
}
