using System.IO;

namespace ImageTools.Stores
{
    /// <summary>Recognizes what a path is and opens the matching store, without the user saying which.</summary>
    public static class StoreFactory
    {
        public static IImageStore Open(string path) => Open(path, Content.Archives.EntryDigestMode.None);

        /// <param name="path">A folder or file.</param>
        /// <param name="archiveDigests">What a compressed archive's listing pass digests on the way (for a whole-archive check).</param>
        public static IImageStore Open(string path, Content.Archives.EntryDigestMode archiveDigests)
        {
            if (Containerd.ContainerdRoot.Recognize(path)) return new Containerd.ContainerdStore(path);
            if (Directory.Exists(path))
            {
                if (Docker.DockerRootStore.Recognize(path))
                {
                    var docker = Docker.DockerRoot.Examine(path);
                    // Docker 29 on a fresh install keeps images in its embedded containerd, namespace moby.
                    if (docker.UsesContainerdImageStore)
                        return new Containerd.ContainerdStore(Path.Combine(path, "containerd", "daemon")).ForNamespaces(new[] { "moby" });
                    return new Docker.DockerRootStore(docker);
                }
                if (OciLayoutStore.Recognize(path)) return new OciLayoutStore(path);
                if (SkopeoDirectoryStore.Recognize(path)) return new SkopeoDirectoryStore(path);
                if (Registry.RegistryStore.Recognize(path)) return new Registry.RegistryStore(path);
                throw NotRecognized(path, "a folder");
            }
            if (File.Exists(path))
            {
                if (ArchiveStore.Recognize(path)) return new ArchiveStore(path, archiveDigests);
                var codec = Content.Archives.ArchiveCodecs.Detect(path);
                throw NotRecognized(path, codec == Content.Archives.ArchiveCodec.None
                    ? "a file that is not a tar archive"
                    : $"a {Content.Archives.ArchiveCodecs.Name(codec)}-compressed file that does not hold a tar archive");
            }
            throw new ImageToolsException(ErrorId.FileNotFound, $"Cannot find path '{path}' because it does not exist.", path, path);
        }

        private static ImageToolsException NotRecognized(string path, string what) =>
            new ImageToolsException(ErrorId.StoreNotRecognized,
                $"{path} is {what} that ImageTools does not recognize as an image store. Looked for: an OCI image layout (a folder with oci-layout and index.json), " +
                "a skopeo dir: layout (a folder with version and manifest.json), registry storage (docker/registry/v2 with blobs/ and repositories/), " +
                "a Docker data root (a folder with image/<driver>/imagedb), a containerd root (a folder with io.containerd.metadata.v1.bolt/meta.db), " +
                "an oci-archive or docker save tar (a tar with index.json or manifest.json, plain or compressed whole with gzip, bzip2, xz or zstd).",
                path, path);
    }
}
