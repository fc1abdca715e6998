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
        public Digest Digest => Descriptor.Digest;
        public string MediaType => Descriptor.MediaType;
        public long Size => Descriptor.Size;
        public int ManifestCount => Index.Manifests.Count;
        public string[] Platforms => Index.Manifests.Where(m => m.Platform != null).Select(m => m.Platform!.ToString()).ToArray();
        public IReadOnlyList<Descriptor> Manifests => Index.Manifests;
        public IReadOnlyDictionary<string, string> Annotations => Index.Annotations;

        public Image Image { get; }
        public IImageStore Store => Image.Store;
        public Descriptor Descriptor { get; }
        public ImageIndex Index { get; }
    }
}
