using System;
using ImageTools.Oci;
using ImageTools.Stores.Docker;

namespace ImageTools
{
    /// <summary>An image in a Docker data root's image store (<c>image/&lt;driver&gt;/imagedb</c>), as Get-DockerImage returns it.</summary>
    public sealed class DockerImage
    {
        internal DockerImage(DockerRoot root, Digest id) { Root = root; IdValue = id; }

        /// <summary>The image ID: the sha256 of the config, as <c>docker image ls --no-trunc</c> prints it.</summary>
        public string Id => IdValue.ToOutput();
        internal Digest IdValue { get; }

        /// <summary>Familiar names with a tag (<c>app:2.0</c>), from repositories.json.</summary>
        public ValueList RepoTags { get; internal set; } = ValueList.Empty;

        /// <summary>Familiar names with a digest (<c>app@sha256:…</c>), from repositories.json.</summary>
        public ValueList RepoDigests { get; internal set; } = ValueList.Empty;

        public string? Created => CreatedValue.ToOutput();
        internal DateTimeOffset? CreatedValue { get; set; }

        /// <summary>Bytes of the image's layers as Docker counts them (the sum of layerdb's <c>size</c> files), the SIZE of docker image ls.</summary>
        public long Size
        {
            get { Root.EnsureLayerDetails(); return SizeValue; }
        }
        internal long SizeValue { get; set; }

        /// <summary>The parent image (<c>imagedb/metadata/sha256/&lt;id&gt;/parent</c>), set for images built locally.</summary>
        public string? Parent => ParentValue.ToOutputOrNull();
        internal Digest? ParentValue { get; set; }

        public string? LastUpdated => LastUpdatedValue.ToOutput();
        internal DateTimeOffset? LastUpdatedValue { get; set; }
        public ValueList DiffIds => DiffIdValues.ToOutput();
        internal Digest[] DiffIdValues { get; set; } = Array.Empty<Digest>();

        /// <summary>ChainIDs of the image's layers, bottom first: the names of their layerdb folders.</summary>
        public ValueList LayerChainIds => LayerChainIdValues.ToOutput();
        internal Digest[] LayerChainIdValues { get; set; } = Array.Empty<Digest>();

        public string? Architecture { get; internal set; }
        public string? Os { get; internal set; }

        /// <summary>Containers made from this image.</summary>
        public int Containers { get; internal set; }

        public string ConfigPath { get; internal set; } = "";
        public string StorePath => Root.Location;

        internal DockerRoot Root { get; }

        public override string ToString() => RepoTags.Length > 0 ? RepoTags[0] : Id;
    }
}
