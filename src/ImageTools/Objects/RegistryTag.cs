using ImageTools.Oci;
using ImageTools.Stores;

namespace ImageTools
{
    /// <summary>One digest in a tag's history (<c>_manifests/tags/&lt;tag&gt;/index</c>).</summary>
    public sealed class RegistryTagHistoryEntry
    {
        internal RegistryTagHistoryEntry(Digest digest, bool current)
        {
            DigestValue = digest;
            Current = current;
        }

        public string Digest => DigestValue.ToOutput();
        internal Digest DigestValue { get; }

        /// <summary>True for the digest the tag points at now (<c>current/link</c>).</summary>
        public bool Current { get; }

        public override string ToString() => Current ? Digest + " (current)" : Digest;
    }

    /// <summary>One tag of a registry repository, as Get-RegistryTag returns it.</summary>
    public sealed class RegistryTag
    {
        internal RegistryTag(IImageStore store, string repository, string tag, Digest digest, RegistryTagHistoryEntry[] history, string path)
        {
            Store = store;
            Repository = repository;
            Tag = tag;
            DigestValue = digest;
            History = history;
            Path = path;
        }

        /// <summary>The repository as stored (<c>aiops/data-cleaning</c>).</summary>
        public string Repository { get; }

        public string Tag { get; }

        /// <summary><c>repository:tag</c>, the name Get-Image gives the image.</summary>
        public string Name => Repository + ":" + Tag;

        /// <summary>The manifest the tag points at now (<c>current/link</c>).</summary>
        public string Digest => DigestValue.ToOutput();
        internal Digest DigestValue { get; }

        /// <summary>Every digest the tag has pointed at (the <c>index</c> folder), the current one marked.</summary>
        public RegistryTagHistoryEntry[] History { get; }

        /// <summary>The media type of the current manifest, or null when it cannot be read.</summary>
        public string? MediaType { get; internal set; }

        /// <summary>Bytes of the current manifest blob.</summary>
        public long? ManifestSize { get; internal set; }

        /// <summary>The tag's folder.</summary>
        public string Path { get; }

        public string StorePath => Store.Location;
        public string StoreKind => Stores.StoreKind.Registry.ToString();
        internal IImageStore Store { get; }

        public override string ToString() => Name;
    }
}
