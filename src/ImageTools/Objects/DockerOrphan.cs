namespace ImageTools
{
    /// <summary>What kind of leftover Find-DockerOrphan found.</summary>
    public enum DockerOrphanKind
    {
        /// <summary>A driver directory no layer and no container references.</summary>
        UnreferencedDirectory,
        /// <summary>A <c>-removing</c> driver directory whose deletion did not finish.</summary>
        RemovingDirectory,
        /// <summary>A layerdb <c>-removing</c> folder.</summary>
        RemovingLayer,
        /// <summary>A layerdb entry whose driver directory is gone.</summary>
        MissingLayerDirectory,
        /// <summary>A container mount (layerdb/mounts) whose driver directory is gone, or whose container is gone.</summary>
        BrokenMount,
        /// <summary>A short link in <c>overlay2/l/</c> that points nowhere.</summary>
        DanglingLink,
        /// <summary>A <c>containers/&lt;id&gt;</c> folder without <c>config.v2.json</c> (empty, say): dockerd does not load it.</summary>
        ContainerFolderWithoutConfig,
    }

    /// <summary>Something in a Docker data root that nothing uses or that points nowhere. Find-DockerOrphan never deletes it.</summary>
    public sealed class DockerOrphan
    {
        internal DockerOrphan(DockerOrphanKind kind, string path, string id, string reason)
        {
            KindValue = kind; Path = path; Id = id; Reason = reason;
        }

        public string Kind => KindValue.ToString();
        internal DockerOrphanKind KindValue { get; }
        public string Id { get; }
        public string Path { get; }

        /// <summary>Bytes of the files below <see cref="Path"/> (hard links counted once; a link counts its own length, as du -b does); 0 for missing folders.</summary>
        public long Size { get; internal set; }

        /// <summary>Disk space below <see cref="Path"/> (allocated blocks).</summary>
        public long DiskUsage { get; internal set; }

        public string Reason { get; }
        public string StorePath { get; internal set; } = "";

        public override string ToString() => Path;
    }
}
