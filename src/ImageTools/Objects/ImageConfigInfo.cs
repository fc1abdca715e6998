using System;
using System.Collections.Generic;
using System.Linq;
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
        public string ImageId => ManifestInfo.ConfigDigest;

        public string ManifestDigest => ManifestInfo.Digest;
        public string? Architecture => Config.Architecture;
        public string? Os => Config.Os;
        public string? Variant => Config.Variant;
        public string? Created => (Config.Created).ToOutput();
        public string? Author => Config.Author;
        public ValueList Entrypoint => ValueList.Of(Config.Entrypoint);
        public ValueList Cmd => ValueList.Of(Config.Cmd);
        public ValueList Env => ValueList.Of(Config.Env);
        public string? WorkingDir => Config.WorkingDir;
        public string? User => Config.User;
        public LabelSet Labels => new LabelSet(Config.Labels);
        public ValueList ExposedPorts => ValueList.Of(Config.ExposedPorts);
        public ValueList Volumes => ValueList.Of(Config.Volumes);
        public string? StopSignal => Config.StopSignal;
        public ValueList DiffIds => ValueList.Of(Config.DiffIds);
        /// <summary>The history entries, oldest first, each as docker history prints its CREATED BY (or its comment).</summary>
        public ValueList History => ValueList.Of(Config.History);

        internal ImageManifestInfo ManifestInfo { get; }
        internal IImageStore Store => ManifestInfo.Store;
        internal ImageConfig Config { get; }
    }
}
