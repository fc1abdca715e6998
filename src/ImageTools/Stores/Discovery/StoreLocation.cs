namespace ImageTools.Stores.Discovery
{
    /// <summary>A store found on a host: where it is, and what said it is there.</summary>
    internal sealed class StoreLocation
    {
        public StoreLocation(StoreKind kind, string path, string hostPath, string source)
        {
            Kind = kind; Path = path; HostPath = hostPath; Source = source;
        }

        /// <summary>The kind of store the place is meant for (Docker's root may turn out to keep its images in containerd).</summary>
        public StoreKind Kind { get; }

        /// <summary>The folder on this machine (under the root searched).</summary>
        public string Path { get; }

        /// <summary>The folder as the host sees it (/var/lib/docker), symlinks resolved.</summary>
        public string HostPath { get; }

        /// <summary>What named the place: a configuration file and its key, or "default".</summary>
        public string Source { get; }
    }
}
