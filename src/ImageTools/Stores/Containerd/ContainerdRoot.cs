using System;
using System.IO;

namespace ImageTools.Stores.Containerd
{
    /// <summary>
    /// Where the parts of a containerd root are. A root is a folder holding <c>io.containerd.metadata.v1.bolt/meta.db</c>
    /// (/var/lib/containerd); the meta.db file itself, its folder, and a Docker data-root (whose containerd root is
    /// <c>containerd/daemon</c>) are accepted too.
    /// </summary>
    public sealed class ContainerdRoot
    {
        public const string MetadataPlugin = "io.containerd.metadata.v1.bolt";
        public const string MetadataFile = "meta.db";
        public const string ContentPlugin = "io.containerd.content.v1.content";
        public const string SnapshotterPrefix = "io.containerd.snapshotter.v1.";
        public const string CriPlugin = "io.containerd.grpc.v1.cri";
        public const string TaskPluginV2 = "io.containerd.runtime.v2.task";
        public const string DefaultStatePath = "/run/containerd";

        private ContainerdRoot(string root, bool dockerEmbedded)
        {
            RootPath = root;
            IsDockerEmbedded = dockerEmbedded;
        }

        /// <summary>The containerd root folder (the one that holds io.containerd.metadata.v1.bolt).</summary>
        public string RootPath { get; }

        /// <summary>True when the root is the containerd/daemon folder of a Docker data-root (namespace moby).</summary>
        public bool IsDockerEmbedded { get; }

        public string MetadataPath => Path.Combine(RootPath, MetadataPlugin, MetadataFile);
        public string ContentPath => Path.Combine(RootPath, ContentPlugin);
        public string BlobsPath => Path.Combine(ContentPath, "blobs");

        /// <summary>The folder of a snapshotter plugin (io.containerd.snapshotter.v1.&lt;name&gt;).</summary>
        public string SnapshotterPath(string snapshotter) => Path.Combine(RootPath, SnapshotterPrefix + snapshotter);

        /// <summary>The file of a blob in the content store (the digest is validated, so it cannot leave the folder).</summary>
        public string BlobPath(Oci.Digest digest) => Path.Combine(BlobsPath, digest.Algorithm, digest.Encoded);

        /// <summary>The root a path names, or null when the path is not a containerd root.</summary>
        public static ContainerdRoot? TryResolve(string path)
        {
            if (string.IsNullOrEmpty(path)) return null;
            string full = Path.GetFullPath(path);
            if (File.Exists(full))
            {
                if (!string.Equals(Path.GetFileName(full), MetadataFile, StringComparison.Ordinal)) return null;
                var dir = Path.GetDirectoryName(full);
                if (dir == null || !string.Equals(Path.GetFileName(dir), MetadataPlugin, StringComparison.Ordinal)) return null;
                return FromRoot(Path.GetDirectoryName(dir)!);
            }
            if (!Directory.Exists(full)) return null;
            full = full.TrimEnd(Path.DirectorySeparatorChar);
            if (full.Length == 0) full = "/";
            if (File.Exists(Path.Combine(full, MetadataPlugin, MetadataFile))) return FromRoot(full);
            if (string.Equals(Path.GetFileName(full), MetadataPlugin, StringComparison.Ordinal) && File.Exists(Path.Combine(full, MetadataFile)))
                return FromRoot(Path.GetDirectoryName(full)!);
            string docker = Path.Combine(full, "containerd", "daemon");
            if (File.Exists(Path.Combine(docker, MetadataPlugin, MetadataFile))) return new ContainerdRoot(docker, true);
            return null;
        }

        /// <summary>True when <paramref name="path"/> is a containerd root, its metadata folder or meta.db (not a Docker data-root: that is Docker's store).</summary>
        public static bool Recognize(string path)
        {
            var full = Path.GetFullPath(path);
            if (Directory.Exists(Path.Combine(full, MetadataPlugin)) && File.Exists(Path.Combine(full, MetadataPlugin, MetadataFile))) return true;
            return string.Equals(Path.GetFileName(full.TrimEnd(Path.DirectorySeparatorChar)), MetadataPlugin, StringComparison.Ordinal)
                && File.Exists(Path.Combine(full, MetadataFile));
        }

        /// <summary>Resolves a path or throws StoreNotRecognized naming what was looked for.</summary>
        public static ContainerdRoot Resolve(string path)
        {
            var root = TryResolve(path);
            if (root != null) return root;
            if (!File.Exists(path) && !Directory.Exists(path))
                throw new ImageToolsException(ErrorId.FileNotFound, $"Cannot find path '{path}' because it does not exist.", path, path);
            throw new ImageToolsException(ErrorId.StoreNotRecognized,
                $"{path} is not a containerd root: looked for {MetadataPlugin}/{MetadataFile} in it (a containerd root such as /var/lib/containerd), " +
                $"for {MetadataFile} in it (the metadata folder), and for containerd/daemon/{MetadataPlugin}/{MetadataFile} (a Docker data-root).", path, path);
        }

        private static ContainerdRoot FromRoot(string root)
        {
            bool docker = string.Equals(Path.GetFileName(root), "daemon", StringComparison.Ordinal)
                && string.Equals(Path.GetFileName(Path.GetDirectoryName(root) ?? ""), "containerd", StringComparison.Ordinal);
            return new ContainerdRoot(root, docker);
        }

        public override string ToString() => RootPath;
    }
}
