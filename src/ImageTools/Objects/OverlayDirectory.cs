using System;
using ImageTools.Oci;
using ImageTools.Stores.Docker;

namespace ImageTools
{
    /// <summary>What a storage-driver directory of a Docker data root belongs to.</summary>
    public enum OverlayDirectoryKind
    {
        /// <summary>The cache-id of a layer in the layer database.</summary>
        ImageLayer,
        /// <summary>The read-write layer of a container (mount-id).</summary>
        ContainerLayer,
        /// <summary>The init layer of a container (init-id, <c>&lt;mount-id&gt;-init</c>).</summary>
        ContainerInit,
        /// <summary>Nothing in the layer database or the containers references it.</summary>
        Orphan,
        /// <summary>A <c>&lt;id&gt;-removing</c> directory Docker renamed to delete and did not finish deleting.</summary>
        Removing,
    }

    /// <summary>One directory of <c>overlay2/</c> (or <c>vfs/dir/</c>) and what owns it, as Get-OverlayDirectory returns it.</summary>
    public sealed class OverlayDirectory
    {
        /// <param name="root">The Docker data root the directory belongs to.</param>
        /// <param name="driverRoot">The folder holding the driver's directories (<c>overlay2</c>, <c>vfs/dir</c>).</param>
        /// <param name="id">The directory's name.</param>
        internal OverlayDirectory(DockerRoot root, string driverRoot, string id) { Root = root; _driverRoot = driverRoot; Id = id; }

        private readonly string _driverRoot;

        /// <summary>The directory name (a layer's cache-id, a container's mount-id or init-id).</summary>
        public string Id { get; }

        public string Kind => KindValue.ToString();
        internal OverlayDirectoryKind KindValue { get; set; }

        /// <summary>The 26-character short name in <c>overlay2/l/</c>: the <c>l/</c> symlink that leads to this directory, or its <c>link</c> file where <c>l/</c> has none or more than one.</summary>
        public string? Link { get; internal set; }

        /// <summary>The lower directories' ids, resolved from <c>lower</c> through <c>l/</c>, top first.</summary>
        public ValueList Lowers { get; internal set; } = ValueList.Empty;

        /// <summary>For a layer: its ChainID; for a container layer: the image's top ChainID.</summary>
        public string? ChainId { get; internal set; }

        public string? DiffId { get; internal set; }
        public ValueList ImageIds { get; internal set; } = ValueList.Empty;
        public ValueList ImageNames { get; internal set; } = ValueList.Empty;
        public string? ContainerId { get; internal set; }

        /// <summary>The containers that use the folder: for an image layer every container made from an image above it (as Get-DockerLayer lists them); for a container's layer, that container.</summary>
        public ValueList ContainerIds { get; internal set; } = ValueList.Empty;
        public string? ContainerName { get; internal set; }

        // made when first read: a listing of thousands of directories need not build paths nobody looks at
        private string? _path, _diffPath, _mergedPath;
        public string Path => _path ??= _driverRoot + "/" + Id;
        public string DiffPath => _diffPath ??= Root.DiffDirectoryIn(Path)!;

        /// <summary>The folder <see cref="DiffPath"/> is in and the rest of it, for a walk that makes no path string (<c>diff</c>, or null with vfs).</summary>
        internal (string Folder, string Name, string? Leaf) DiffPathParts => (_driverRoot, Id, Root.Driver == "overlay2" ? "diff" : null);
        public string? MergedPath => Root.Driver == "overlay2" ? _mergedPath ??= System.IO.Path.Combine(Path, "merged") : null;
        public bool IsMounted { get; internal set; }

        /// <summary>Bytes of the files under <c>diff/</c> (hard links counted once); only with -Size.</summary>
        public long? DiffSize { get; internal set; }

        /// <summary>Disk space of <c>diff/</c> in bytes (allocated blocks, as du counts them); only with -Size.</summary>
        public long? DiffDiskUsage { get; internal set; }

        public string Driver => Root.Driver;
        public string StorePath => Root.Location;

        internal DockerRoot Root { get; }

        public override string ToString() => Id;
    }
}
