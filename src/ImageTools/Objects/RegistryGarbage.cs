using System;
using System.Collections.Generic;
using ImageTools.Oci;
using ImageTools.Stores;

namespace ImageTools
{
    /// <summary>What a garbage candidate in registry storage is.</summary>
    public enum RegistryGarbageKind
    {
        /// <summary>A manifest revision link (untagged, or dangling) and the tag history entries naming it.</summary>
        Manifest,
        /// <summary>A blob folder under <c>blobs/</c> that no kept manifest refers to.</summary>
        Blob,
        /// <summary>A repository's <c>_layers</c> link whose blob is missing or is itself garbage.</summary>
        LayerLink,
        /// <summary>An unfinished upload under <c>_uploads/</c>.</summary>
        Upload,
    }

    /// <summary>One thing a mark-and-sweep collection of registry storage would remove, as Find-RegistryGarbage returns it.</summary>
    public sealed class RegistryGarbage
    {
        internal RegistryGarbage(RegistryGarbageKind kind, string? repository, Digest? digest, long size, string reason, string path, string storePath)
        {
            KindValue = kind;
            Repository = repository;
            DigestValue = digest;
            Size = size;
            Reason = reason;
            Path = path;
            StorePath = storePath;
        }

        public string Kind => KindValue.ToString();
        internal RegistryGarbageKind KindValue { get; }

        /// <summary>The repository (null for blobs, which are shared by every repository).</summary>
        public string? Repository { get; }

        public string? Digest => DigestValue.ToOutputOrNull();
        internal Digest? DigestValue { get; }

        /// <summary>Bytes freed: the blob's data file, the upload's files; 0 for links.</summary>
        public long Size { get; }

        /// <summary>unreferenced, untagged, dangling link, or stale upload with its age.</summary>
        public string Reason { get; }

        /// <summary>How long ago an upload started (uploads only).</summary>
        public TimeSpan? Age { get; internal set; }

        /// <summary>The folder Remove-RegistryGarbage deletes.</summary>
        public string Path { get; }

        /// <summary>The registry's <c>docker/registry/v2</c> folder.</summary>
        public string StorePath { get; }

        public string StoreKind => Stores.StoreKind.Registry.ToString();

        /// <summary>False when the search that found this could not read or trust everything it had to mark.</summary>
        public bool MarkingComplete => Unread.Count == 0;

        /// <summary>What that search could not read or trust (empty when marking was complete).</summary>
        internal IReadOnlyList<string> Unread { get; set; } = new string[0];

        public override string ToString() => $"{Kind} {Repository}{(Repository != null && Digest != null ? "@" : "")}{Digest} ({Reason})";
    }
}
