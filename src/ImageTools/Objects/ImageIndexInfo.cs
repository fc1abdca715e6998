using System.Collections.Generic;
using System.Linq;
using ImageTools.Oci;
using ImageTools.Stores;

namespace ImageTools
{
    /// <summary>An image index or manifest list, as Get-ImageIndex returns it.</summary>
    public sealed class ImageIndexInfo
    {
        internal ImageIndexInfo(Image image, Descriptor descriptor, ImageIndex index)
        {
            Image = image;
            Descriptor = descriptor;
            Index = index;
        }

        public string? ImageName => Image.Name;
        public string Digest => Descriptor.Digest.ToOutput();
        public string MediaType => Descriptor.MediaType;
        public long Size => Descriptor.Size;
        public int ManifestCount => Index.Manifests.Count;
        public ValueList Platforms => new ValueList(Index.Manifests.Where(m => m.Platform != null).Select(m => m.Platform!.ToString()).ToArray());
        /// <summary>The digests of the manifests the index lists, in its order (Get-ImageManifest gives each whole).</summary>
        public ValueList ManifestDigests => Index.Manifests.Select(m => m.Digest).ToOutput();
        public LabelSet Annotations => new LabelSet(Index.Annotations);

        internal Image Image { get; }
        internal IImageStore Store => Image.Store;
        internal Descriptor Descriptor { get; }
        internal ImageIndex Index { get; }
    }
}
