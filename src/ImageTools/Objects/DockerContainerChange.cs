namespace ImageTools
{
    /// <summary>How a path differs between a container and its image, as docker diff prints it (A, C, D).</summary>
    public enum ContainerChangeKind
    {
        Changed,
        Added,
        Deleted,
    }

    /// <summary>One line of <c>docker diff</c>, computed offline from the container's upper directory.</summary>
    public sealed class ContainerChange
    {
        internal ContainerChange(string containerId, string path, ContainerChangeKind kind, long size, bool isDirectory)
        {
            ContainerId = containerId; Path = path; KindValue = kind; Size = size; IsDirectory = isDirectory;
        }

        public string ContainerId { get; }
        public string? ContainerName { get; internal set; }

        /// <summary>The absolute path inside the container (<c>/etc/os-release</c>).</summary>
        public string Path { get; }

        public string Kind => KindValue.ToString();
        internal ContainerChangeKind KindValue { get; }

        /// <summary>Bytes of the file in the upper directory (0 for deletions and folders).</summary>
        public long Size { get; }

        public bool IsDirectory { get; }

        /// <summary>The letter docker diff prints: A, C or D.</summary>
        public string Letter => KindValue == ContainerChangeKind.Added ? "A" : KindValue == ContainerChangeKind.Changed ? "C" : "D";

        public override string ToString() => Letter + " " + Path;
    }
}
