using System;
using System.Collections.Generic;
using ImageTools.Oci;
using ImageTools.Stores;

namespace ImageTools
{
    /// <summary>An image configuration, as Get-ImageConfig returns it. Its digest is the image ID.</summary>
    public sealed class ImageConfigInfo
    {
        internal ImageConfigInfo(ImageManifestInfo manifest, ImageConfig config)
        {
            ManifestInfo = manifest;
            Config = config;
        }

        public string? ImageName => ManifestInfo.ImageName;

        /// <summary>The config digest: Docker's image ID and containerd's config digest.</summary>
        public Digest ImageId => ManifestInfo.ConfigDigest;

        public Digest ManifestDigest => ManifestInfo.Digest;
        public string? Architecture => Config.Architecture;
        public string? Os => Config.Os;
        public string? Variant => Config.Variant;
        public DateTimeOffset? Created => Config.Created;
        public string? Author => Config.Author;
        public IReadOnlyList<string> Entrypoint => Config.Entrypoint;
        public IReadOnlyList<string> Cmd => Config.Cmd;
        public IReadOnlyList<string> Env => Config.Env;
        public string? WorkingDir => Config.WorkingDir;
        public string? User => Config.User;
        public IReadOnlyDictionary<string, string> Labels => Config.Labels;
        public IReadOnlyList<string> ExposedPorts => Config.ExposedPorts;
        public IReadOnlyList<string> Volumes => Config.Volumes;
        public string? StopSignal => Config.StopSignal;
        public IReadOnlyList<Digest> DiffIds => Config.DiffIds;
        public IReadOnlyList<HistoryEntry> History => Config.History;

        public ImageManifestInfo ManifestInfo { get; }
        public IImageStore Store => ManifestInfo.Store;
        public ImageConfig Config { get; }
    }
}
