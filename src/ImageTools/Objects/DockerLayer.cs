using System;
using ImageTools.Oci;
using ImageTools.Stores.Docker;

namespace ImageTools
{
    /// <summary>A layer in a Docker data root's layer database (<c>image/&lt;driver&gt;/layerdb/sha256/&lt;chainID&gt;</c>).</summary>
    public sealed class DockerLayer
    {
        internal DockerLayer(DockerRoot root, Digest chainId) { Root = root; ChainIdValue = chainId; }

        /// <summary>The layer's ChainID, the name of its layerdb folder.</summary>
        public string ChainId => ChainIdValue.ToOutput();
        internal Digest ChainIdValue { get; }

        /// <summary>The digest of the uncompressed layer tar (layerdb <c>diff</c>).</summary>
        public string? DiffId => DiffIdValue.ToOutputOrNull();
        internal Digest? DiffIdValue { get; set; }

        /// <summary>The storage driver's directory id (layerdb <c>cache-id</c>).</summary>
        public string? CacheId { get; internal set; }

        /// <summary>The driver directory of the layer: <c>overlay2/&lt;cache-id&gt;</c> (or <c>vfs/dir/&lt;cache-id&gt;</c>); null when the driver's directories are not mapped.</summary>
        public string? OverlayPath => CacheId == null ? null : _overlayPath ??= Root.DriverDirectory(CacheId);

        /// <summary>Where the layer's files are: <c>overlay2/&lt;cache-id&gt;/diff</c>, or the vfs directory itself.</summary>
        public string? DiffPath => CacheId == null || !DiffInside ? null : _diffPath ??= Root.DiffDirectory(CacheId);

        // made when first read: a root's thousands of layers need not build paths a listing never shows
        private string? _overlayPath, _diffPath;

        /// <summary>The driver directory and its diff/ were found inside the root (a symlink out of it leaves <see cref="DiffPath"/> null).</summary>
        internal bool DiffInside { get; set; }

        /// <summary>True when the driver directory exists.</summary>
        public bool DirectoryExists { get; internal set; }

        public string? Parent => ParentValue.ToOutputOrNull();
        internal Digest? ParentValue { get; set; }

        /// <summary>Bytes of the layer's files, as Docker measured them (layerdb <c>size</c>).</summary>
        public long? Size
        {
            get { Root.EnsureLayerDetails(); return SizeValue; }
        }
        internal long? SizeValue { get; set; }

        /// <summary>True when <c>tar-split.json.gz</c> exists, so the layer tar can be reassembled byte for byte.</summary>
        public bool HasTarSplit
        {
            get { Root.EnsureLayerDetails(); return HasTarSplitValue; }
        }
        internal bool HasTarSplitValue { get; set; }

        public string Driver => Root.Driver;

        /// <summary>Images whose layer chain includes this layer.</summary>
        public ValueList ImageIds => ImageIdValues.ToOutput();
        internal Digest[] ImageIdValues { get; set; } = Array.Empty<Digest>();

        public ValueList ImageNames { get; internal set; } = ValueList.Empty;

        /// <summary>Containers whose image uses this layer.</summary>
        public ValueList ContainerIds { get; internal set; } = ValueList.Empty;

        public string LayerDbPath { get; internal set; } = "";
        public string StorePath => Root.Location;

        internal DockerRoot Root { get; }
        internal string? TarSplitPath => HasTarSplit ? System.IO.Path.Combine(LayerDbPath, "tar-split.json.gz") : null;

        public override string ToString() => ChainId;
    }
}
