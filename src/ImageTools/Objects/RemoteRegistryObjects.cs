using ImageTools.Oci;

namespace ImageTools
{
    /// <summary>One repository of a registry's catalog (over HTTP), as Get-RegistryRepository -Uri returns it.</summary>
    public sealed class RemoteRepository
    {
        internal RemoteRepository(string uri, string registry, string repository)
        {
            Uri = uri;
            Registry = registry;
            Repository = repository;
        }

        /// <summary>The registry as given to -Uri; Get-RegistryTag takes it from the pipeline.</summary>
        public string Uri { get; }

        /// <summary>host[:port] of the registry.</summary>
        public string Registry { get; }

        /// <summary>The repository name (<c>team/app</c>); Get-RegistryTag takes it from the pipeline.</summary>
        public string Repository { get; }

        /// <summary>registry/repository, the name Get-Image -Reference takes (with a tag).</summary>
        public string Name => Registry + "/" + Repository;

        public override string ToString() => Name;
    }

    /// <summary>One tag of a repository in a registry over HTTP, with the manifest it points at now (HEAD).</summary>
    public sealed class RemoteTag
    {
        internal RemoteTag(string registry, string repository, string tag, Digest digest)
        {
            Registry = registry;
            Repository = repository;
            Tag = tag;
            DigestValue = digest;
        }

        public string Registry { get; }
        public string Repository { get; }
        public string Tag { get; }

        /// <summary>The manifest or index the tag points at (Docker-Content-Digest).</summary>
        public string Digest => DigestValue.ToOutput();
        internal Digest DigestValue { get; }

        public string? MediaType { get; internal set; }

        /// <summary>Bytes of the manifest or index.</summary>
        public long? ManifestSize { get; internal set; }

        /// <summary>registry/repository:tag; Get-Image, Save-Image and Copy-Image take it from the pipeline.</summary>
        public string Reference => Registry + "/" + Repository + ":" + Tag;

        public override string ToString() => Reference;
    }
}

namespace ImageTools
{
    /// <summary>A manifest deleted from a registry, as Remove-RegistryImage -PassThru returns it.</summary>
    public sealed class RemovedRegistryManifest
    {
        internal RemovedRegistryManifest(string registry, string repository, Oci.Digest digest, string asked)
        {
            Registry = registry;
            Repository = repository;
            DigestValue = digest;
            Reference = asked;
        }

        public string Registry { get; }
        public string Repository { get; }

        /// <summary>The manifest deleted (every tag pointing at it is gone with it).</summary>
        public string Digest => DigestValue.ToOutput();
        internal Oci.Digest DigestValue { get; }

        /// <summary>The reference as given to -Reference.</summary>
        public string Reference { get; }

        public override string ToString() => Registry + "/" + Repository + "@" + Digest;
    }
}
