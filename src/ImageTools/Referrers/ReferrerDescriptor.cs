using System.Collections.Generic;
using ImageTools.Oci;

namespace ImageTools.Referrers
{
    /// <summary>The descriptor a referrers list holds for a manifest (distribution-spec, "Listing Referrers" and "Pushing Manifests with Subject").</summary>
    public static class ReferrerDescriptor
    {
        /// <summary>
        /// The manifest's media type, digest and size; its artifact type (<see cref="ReferrerClassifier.ArtifactTypeOf"/>:
        /// its artifactType, else its config's media type); every annotation of the manifest.
        /// </summary>
        public static Descriptor For(byte[] bytes, Digest digest, string mediaType, string what)
        {
            var plain = new Descriptor(mediaType, digest, bytes.Length);
            if (MediaTypes.IsIndex(mediaType))
            {
                var index = ImageIndex.Parse(bytes, what);
                return new Descriptor(mediaType, digest, bytes.Length, Copy(index.Annotations), artifactType: OptionalString(bytes, "artifactType", what));
            }
            var manifest = ImageManifest.Parse(bytes, what);
            return new Descriptor(mediaType, digest, bytes.Length, Copy(manifest.Annotations), artifactType: ReferrerClassifier.ArtifactTypeOf(manifest, plain));
        }

        /// <summary>The subject a manifest or index names, or null.</summary>
        public static Descriptor? SubjectOf(byte[] bytes, string what)
        {
            using var doc = Json.ParseDocument(bytes, what);
            var subject = Json.OptionalObject(Json.RequireObject(doc.RootElement, what), "subject", what);
            return subject == null ? null : Descriptor.FromJson(subject.Value, what + ", subject");
        }

        private static string? OptionalString(byte[] bytes, string name, string what)
        {
            using var doc = Json.ParseDocument(bytes, what);
            return Json.OptionalString(Json.RequireObject(doc.RootElement, what), name, what);
        }

        private static Dictionary<string, string> Copy(IReadOnlyDictionary<string, string> map)
        {
            var copy = new Dictionary<string, string>();
            foreach (var kv in map) copy[kv.Key] = kv.Value;
            return copy;
        }
    }
}
