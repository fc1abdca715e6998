using System.Collections.Generic;

namespace ImageTools.Stores.Docker
{
    /// <summary>
    /// What a Docker data root's files say before it is read: the storage drivers with metadata under
    /// <c>image/</c>, and whether Docker's containerd (namespace moby) holds images. Found once by
    /// <see cref="DockerRoot.Examine"/>, since it opens containerd's database.
    /// </summary>
    internal sealed class DockerRootKind
    {
        public DockerRootKind(string location, IReadOnlyList<string> drivers, string? containerdImagesNote, bool usesContainerdImageStore)
        {
            Location = location;
            Drivers = drivers;
            ContainerdImagesNote = containerdImagesNote;
            UsesContainerdImageStore = usesContainerdImageStore;
        }

        /// <summary>The full path of the root, without a trailing slash (<c>/</c> for the file system root).</summary>
        public string Location { get; }

        /// <summary>The drivers with an <c>image/&lt;driver&gt;/imagedb</c> or <c>layerdb</c> folder.</summary>
        public IReadOnlyList<string> Drivers { get; }

        /// <summary>True when Docker's containerd (namespace moby) holds images.</summary>
        public bool ContainerdHasImages => ContainerdImagesNote != null;

        /// <summary>How many images containerd holds and where, as <c> (2 images in &lt;meta.db&gt;)</c>; null when it holds none.</summary>
        public string? ContainerdImagesNote { get; }

        /// <summary>
        /// True when the root keeps its images in Docker's containerd (namespace moby; Docker 29's default on fresh
        /// installs) rather than in image/&lt;driver&gt;/imagedb.
        /// </summary>
        public bool UsesContainerdImageStore { get; }
    }
}
