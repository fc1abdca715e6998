using System.IO;

namespace ImageTools.Stores
{
    /// <summary>Recognizes what a path is and opens the matching store, without the user saying which.</summary>
    public static class StoreFactory
    {
        public static IImageStore Open(string path)
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
                if (IsGzip(path))
                    throw new ImageToolsException(ErrorId.StoreNotRecognized,
                        $"{path} is gzip-compressed; image archives are read in place, so decompress it first (gzip -dk).", path, path);
                if (ArchiveStore.Recognize(path)) return new ArchiveStore(path);
                throw NotRecognized(path, "a file that is not a tar archive");
            }
            throw new ImageToolsException(ErrorId.FileNotFound, $"Cannot find path '{path}' because it does not exist.", path, path);
        }

        private static bool IsGzip(string path)
        {
            using var f = Content.ContentFiles.OpenRead(path);
            return f.ReadByte() == 0x1F && f.ReadByte() == 0x8B;
        }

        private static ImageToolsException NotRecognized(string path, string what) =>
            new ImageToolsException(ErrorId.StoreNotRecognized,
                $"{path} is {what} that ImageTools does not recognize as an image store. Looked for: an OCI image layout (a folder with oci-layout and index.json), " +
                "a skopeo dir: layout (a folder with version and manifest.json), registry storage (docker/registry/v2 with blobs/ and repositories/), " +
                "a Docker data root (a folder with image/<driver>/imagedb), a containerd root (a folder with io.containerd.metadata.v1.bolt/meta.db), " +
                "an oci-archive or docker save tar (a tar with index.json or manifest.json).",
                path, path);
    }
}
