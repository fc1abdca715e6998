using System.Collections.Generic;
using ImageTools.Oci;

namespace ImageTools.Stores
{
    /// <summary>The names table of an OCI index.json: what each top-level descriptor is called.</summary>
    internal static class IndexNames
    {
        /// <summary>
        /// The full name from <c>io.containerd.image.name</c> (containerd, Docker 25+) when present, else
        /// <c>org.opencontainers.image.ref.name</c> (umoci and skopeo put the whole <c>name:tag</c> there; containerd only the tag).
        /// </summary>
        public static string? NameOf(Descriptor d) =>
            d.Annotation(AnnotationKeys.ContainerdImageName) ?? d.Annotation(AnnotationKeys.RefName);

        public static IEnumerable<NamedImage> FromIndex(ImageIndex index)
        {
            foreach (var d in index.Manifests) yield return new NamedImage(NameOf(d), d);
        }
    }
}
