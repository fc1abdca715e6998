using ImageTools.Stores;
using ImageTools.Stores.Registry;

namespace ImageTools
{
    /// <summary>One repository of registry storage, as Get-RegistryRepository returns it.</summary>
    public sealed class RegistryRepository
    {
        internal RegistryRepository(RegistryStore store, RegistryRepositoryContents contents)
        {
            Store = store;
            Contents = contents;
            Name = contents.Name;
            int slash = contents.Name.LastIndexOf('/');
            Namespace = slash < 0 ? "" : contents.Name.Substring(0, slash);
            TagCount = contents.Tags.Count;
            RevisionCount = contents.Revisions.Count;
            LayerLinkCount = contents.LayerLinks.Count;
            UploadCount = contents.Uploads.Count;
            Tags = new ValueList(contents.Tags.ConvertAll(t => t.Name).ToArray());
        }

        /// <summary>The repository name as stored (<c>aiops/data-cleaning</c>, <c>base</c>).</summary>
        public string Name { get; }

        /// <summary>The user or organisation part (<c>aiops</c>, <c>org/team</c>); empty for a top-level repository.</summary>
        public string Namespace { get; }

        public int TagCount { get; }

        /// <summary>Manifest revisions with a link (tagged or not).</summary>
        public int RevisionCount { get; }

        public int LayerLinkCount { get; }
        public int UploadCount { get; }
        public ValueList Tags { get; }

        /// <summary>Bytes of the distinct blobs the repository's manifests reach: manifests, indexes, configs and layers.</summary>
        public long Size { get; internal set; }

        /// <summary>The repository's folder.</summary>
        public string Path => Contents.Directory;

        /// <summary>The registry's <c>docker/registry/v2</c> folder.</summary>
        public string StorePath => Store.Location;

        public string StoreKind => Stores.StoreKind.Registry.ToString();

        internal IImageStore Store { get; }
        internal RegistryRepositoryContents Contents { get; }

        public override string ToString() => Name;
    }
}
