using System.Collections.Generic;
using System.Linq;
using ImageTools.Oci;
using ImageTools.Stores;

namespace ImageTools.Graph
{
    /// <summary>How a row of a store's names table is shown: Name, FullName, Repository, Tag.</summary>
    public sealed class ImageTitle
    {
        private ImageTitle(string? name, string? fullName, string? repository, string? tag)
        {
            Name = name;
            FullName = fullName;
            Repository = repository;
            Tag = tag;
        }

        public string? Name { get; }
        public string? FullName { get; }
        public string? Repository { get; }
        public string? Tag { get; }

        /// <summary>
        /// One title per entry of <see cref="IImageStore.Images"/>. containerd: the name as <c>ctr images ls</c> prints it
        /// (what is recorded). Registry storage: the repository path as stored (<c>library/base:1.0</c>), no host
        /// invented, FullName the same. The other stores: Docker's familiar form (<c>base:1.0</c>), except that two
        /// recorded names that differ but look the same familiar are shown as recorded. FullName is the normalized reference.
        /// </summary>
        public static IReadOnlyList<ImageTitle> For(IImageStore store)
        {
            var images = store.Images;
            if (store.Kind == StoreKind.Containerd || store.Kind == StoreKind.Registry)
                return images.Select(n => AsRecorded(n, store.Kind == StoreKind.Registry)).ToList();
            var clashing = new HashSet<string>(images
                .Where(n => n.Name != null && n.Reference != null)
                .GroupBy(n => n.Reference!.FamiliarName)
                .Where(g => g.Select(n => n.Name).Distinct().Count() > 1)
                .Select(g => g.Key));
            return images.Select(n => n.Reference != null && clashing.Contains(n.Reference.FamiliarName) ? AsRecorded(n, false) : Familiar(n)).ToList();
        }

        private static ImageTitle Familiar(NamedImage n) =>
            new ImageTitle(n.Reference?.FamiliarName ?? n.Name, n.Reference?.ToString() ?? n.Name, n.Reference?.FamiliarRepository,
                n.Reference?.Tag ?? (n.Reference == null ? n.Name : null));

        private static ImageTitle AsRecorded(NamedImage n, bool fullNameAsRecorded) =>
            new ImageTitle(n.Name, fullNameAsRecorded ? n.Name : n.Reference?.ToString() ?? n.Name, RepositoryPart(n.Name),
                n.Reference?.Tag ?? (n.Reference == null ? n.Name : null));

        /// <summary>The recorded name without its tag or digest.</summary>
        private static string? RepositoryPart(string? name)
        {
            if (name == null) return null;
            int at = name.IndexOf('@');
            if (at >= 0) name = name.Substring(0, at);
            int colon = name.LastIndexOf(':');
            return colon > name.LastIndexOf('/') ? name.Substring(0, colon) : name;
        }
    }
}
