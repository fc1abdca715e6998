using ImageTools.Stores;

namespace ImageTools
{
    /// <summary>One image store of a host, as Get-ImageStore returns it.</summary>
    /// <remarks>
    /// Its PSPath binds to -LiteralPath of every store cmdlet (Get-Image, Test-ImageBlob, Find-DockerOrphan, ...), so
    /// <c>Get-ImageStore | Test-ImageBlob</c> reads each store found.
    /// </remarks>
    public sealed class ImageStoreInfo
    {
        internal ImageStoreInfo(StoreKind kind, string path, string hostPath, string source, int images, int names, int blobs, long size, long? freeSpace)
        {
            KindValue = kind; Path = path; HostPath = hostPath; Source = source;
            Images = images; Names = names; Blobs = blobs; Size = size; FreeSpace = freeSpace;
        }

        /// <summary>What the store is: DockerRoot, Containerd (a Docker root that keeps its images in containerd is Containerd) or Registry.</summary>
        public string Kind => KindValue.ToString();
        internal StoreKind KindValue { get; }

        /// <summary>The store's folder on this machine (under -Root).</summary>
        public string Path { get; }

        /// <summary>The folder as the host sees it (/var/lib/docker when -Root is a mounted disk), symlinks resolved.</summary>
        public string HostPath { get; }

        /// <summary>What named the folder: a configuration file and key (etc/docker/daemon.json data-root), or default.</summary>
        public string Source { get; }

        /// <summary>Distinct images (root manifests or indexes), named or not.</summary>
        public int Images { get; }

        /// <summary>Names in the store's names table; one image may have several.</summary>
        public int Names { get; }

        /// <summary>Distinct blobs the store holds, referenced or not.</summary>
        public int Blobs { get; }

        /// <summary>Bytes the folder takes on disk, hard links counted once (du -sB1).</summary>
        public long Size { get; }

        /// <summary>Bytes available on the filesystem that holds the folder (df's Avail); null when it cannot be asked.</summary>
        public long? FreeSpace { get; }

        /// <summary>The folder as a FileSystem provider path: binds to -LiteralPath of the store cmdlets.</summary>
        public string PSPath => "Microsoft.PowerShell.Core\\FileSystem::" + Path;

        public override string ToString() => Path;
    }
}
