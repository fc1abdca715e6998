namespace ImageTools.Oci
{
    /// <summary>Media types of OCI (image-spec specs-go/v1/mediatype.go) and Docker schema 2 content.</summary>
    public static class MediaTypes
    {
        public const string OciIndex = "application/vnd.oci.image.index.v1+json";
        public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
        public const string OciConfig = "application/vnd.oci.image.config.v1+json";
        public const string OciEmpty = "application/vnd.oci.empty.v1+json";
        public const string OciLayer = "application/vnd.oci.image.layer.v1.tar";
        public const string OciLayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip";
        public const string OciLayerZstd = "application/vnd.oci.image.layer.v1.tar+zstd";
        public const string OciLayerNondistributable = "application/vnd.oci.image.layer.nondistributable.v1.tar";

        public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";
        public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
        public const string DockerConfig = "application/vnd.docker.container.image.v1+json";
        public const string DockerLayer = "application/vnd.docker.image.rootfs.diff.tar";
        public const string DockerLayerGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip";
        public const string DockerForeignLayerGzip = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";
        public const string DockerPluginConfig = "application/vnd.docker.plugin.v1+json";

        public static bool IsIndex(string? mediaType) => mediaType == OciIndex || mediaType == DockerManifestList;

        public static bool IsManifest(string? mediaType) => mediaType == OciManifest || mediaType == DockerManifest;

        public static bool IsConfig(string? mediaType) => mediaType == OciConfig || mediaType == DockerConfig;

        public static bool IsLayer(string? mediaType) =>
            mediaType != null && (mediaType.StartsWith("application/vnd.oci.image.layer.", System.StringComparison.Ordinal)
                                  || mediaType.StartsWith("application/vnd.docker.image.rootfs.", System.StringComparison.Ordinal));

        /// <summary>The compression a layer media type claims. The bytes decide in the end (<see cref="Content.CompressionDetector"/>).</summary>
        public static Compression DeclaredCompression(string? mediaType)
        {
            if (mediaType == null) return Compression.Unknown;
            if (mediaType.EndsWith("+gzip", System.StringComparison.Ordinal) || mediaType.EndsWith(".tar.gzip", System.StringComparison.Ordinal)) return Compression.Gzip;
            if (mediaType.EndsWith("+zstd", System.StringComparison.Ordinal)) return Compression.Zstd;
            if (mediaType.EndsWith(".tar", System.StringComparison.Ordinal)) return Compression.None;
            return Compression.Unknown;
        }
    }

    /// <summary>How a layer blob is compressed.</summary>
    public enum Compression
    {
        Unknown,
        None,
        Gzip,
        Zstd,
    }
}
