using System.Collections.Generic;
using System.Linq;
using ImageTools.Oci;

namespace ImageTools.Export
{
    /// <summary>Builds the index.json of a saved archive or layout: one descriptor per name, one per unnamed image.</summary>
    internal static class OciIndexFile
    {
        public static byte[] Build(IEnumerable<WrittenImage> images, SaveFormat format, byte[]? existing)
        {
            var descriptors = new List<Descriptor>();
            foreach (var image in images)
            {
                if (image.Names.Count == 0)
                {
                    // Every unnamed image keeps its own entry (docker 25's save drops all but one: moby/moby#51389).
                    if (!descriptors.Any(d => d.Digest == image.Root.Digest && d.Annotations.Count == 0))
                        descriptors.Add(Strip(image.Root, null));
                    continue;
                }
                foreach (var name in image.Names) descriptors.Add(Strip(image.Root, Annotations(name, format)));
            }
            if (existing != null) descriptors = Merge(ImageIndex.Parse(existing, "existing index.json").Manifests, descriptors);
            return ContentJson.SerializeIndex(descriptors);
        }

        /// <summary>
        /// Docker archives put only the tag in ref.name (as Docker 25+ and containerd do); OCI archives and layouts
        /// put the familiar name with its tag (as umoci and skopeo do, so <c>oci:path:base:1.0</c> finds it).
        /// Both carry the full name in <c>io.containerd.image.name</c>.
        /// </summary>
        private static Dictionary<string, string> Annotations(ImageReference name, SaveFormat format) => new Dictionary<string, string>
        {
            [AnnotationKeys.ContainerdImageName] = name.ToString(),
            [AnnotationKeys.RefName] = format == SaveFormat.DockerArchive ? (name.Tag ?? name.ToString()) : name.FamiliarName,
        };

        private static Descriptor Strip(Descriptor d, IReadOnlyDictionary<string, string>? annotations) =>
            new Descriptor(d.MediaType, d.Digest, d.Size, annotations, d.Platform, d.Urls, d.ArtifactType);

        /// <summary>Keeps what an existing layout lists, except entries whose name the new ones take over.</summary>
        private static List<Descriptor> Merge(IReadOnlyList<Descriptor> existing, List<Descriptor> added)
        {
            var takenNames = new HashSet<string>(added.Select(d => d.Annotation(AnnotationKeys.RefName)).Where(n => n != null)!);
            var result = existing.Where(d =>
            {
                var name = d.Annotation(AnnotationKeys.RefName);
                if (name != null) return !takenNames.Contains(name);
                return !added.Any(a => a.Digest == d.Digest && a.Annotations.Count == 0);
            }).ToList();
            result.AddRange(added);
            return result;
        }
    }
}
