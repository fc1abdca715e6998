using System;
using ImageTools.Oci;
using ImageTools.Stores.Docker;

namespace ImageTools
{
    /// <summary>A container of a Docker data root (<c>containers/&lt;id&gt;/config.v2.json</c> and <c>layerdb/mounts/&lt;id&gt;</c>).</summary>
    public sealed class DockerContainer
    {
        internal DockerContainer(DockerRoot root, string id) { Root = root; Id = id; }

        public string Id { get; }

        /// <summary>The name without Docker's leading '/'.</summary>
        public string? Name { get; internal set; }

        /// <summary>The image ID the container was made from.</summary>
        public string? Image => ImageValue.ToOutputOrNull();
        internal Digest? ImageValue { get; set; }

        /// <summary>The image as the user named it (<c>docker create app:2.0</c>).</summary>
        public string? ImageName { get; internal set; }

        /// <summary>created, running, paused, restarting, removing, exited or dead, as docker ps computes it.</summary>
        public string? State { get; internal set; }

        public int? ExitCode { get; internal set; }
        public string? Created => CreatedValue.ToOutput();
        internal DateTimeOffset? CreatedValue { get; set; }
        public string? StartedAt => StartedAtValue.ToOutput();
        internal DateTimeOffset? StartedAtValue { get; set; }
        public string? FinishedAt => FinishedAtValue.ToOutput();
        internal DateTimeOffset? FinishedAtValue { get; set; }
        public string? Driver { get; internal set; }

        /// <summary>The driver directory of the container's read-write layer (layerdb mounts <c>mount-id</c>).</summary>
        public string? MountId { get; internal set; }

        /// <summary>The driver directory of the init layer (<c>&lt;mount-id&gt;-init</c>).</summary>
        public string? InitId { get; internal set; }

        /// <summary>ChainID of the image's top layer (layerdb mounts <c>parent</c>).</summary>
        public string? ParentChainId => ParentChainIdValue.ToOutputOrNull();
        internal Digest? ParentChainIdValue { get; set; }

        /// <summary>The read-write layer's files: <c>overlay2/&lt;mount-id&gt;/diff</c>.</summary>
        public string? UpperDir { get; internal set; }

        public string? InitDir { get; internal set; }

        /// <summary>The image layers' directories below the init layer, top first (as overlayfs lowerdir lists them).</summary>
        public ValueList LowerDirs => _lowerDirs ??= Root.LowerDirsOf(this);
        private ValueList? _lowerDirs; // made when first read: from the layers' chain, which the root holds

        public string? MergedPath { get; internal set; }

        /// <summary>True when <see cref="MergedPath"/> is a mount point now (the container is running, or docker cp/diff holds it).</summary>
        public bool IsMounted { get; internal set; }

        public string ConfigPath { get; internal set; } = "";
        public string StorePath => Root.Location;

        internal DockerRoot Root { get; }

        public override string ToString() => Name ?? Id;
    }
}
