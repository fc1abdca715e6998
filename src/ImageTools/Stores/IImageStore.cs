using System;
using System.Collections.Generic;
using System.IO;
using ImageTools.Oci;

namespace ImageTools.Stores
{
    /// <summary>What kind of on-disk layout a store is.</summary>
    public enum StoreKind
    {
        OciLayout,
        OciArchive,
        DockerArchive,
        SkopeoDirectory,
        Registry,
        Containerd,
        DockerRoot,
        /// <summary>A registry over HTTP (one repository of it).</summary>
        RemoteRegistry,
    }

    /// <summary>
    /// The one abstraction every on-disk layout implements: a set of content-addressed blobs plus a table of
    /// names pointing at root descriptors. Everything generic (manifests, layers, verification, saving) is
    /// written against this.
    /// </summary>
    public interface IImageStore : IDisposable
    {
        /// <summary>The path the store was opened from.</summary>
        string Location { get; }

        StoreKind Kind { get; }

        /// <summary>The names table: one entry per name (and one per unnamed root).</summary>
        IReadOnlyList<NamedImage> Images { get; }

        /// <summary>Things found wrong while opening that did not stop the store from being read; each becomes a non-terminating error.</summary>
        IReadOnlyList<ImageToolsException> Problems { get; }

        bool HasBlob(Digest digest);

        /// <summary>The raw bytes of a blob, unverified; callers wrap it in a <see cref="Content.VerifyingStream"/>.</summary>
        /// <exception cref="ImageToolsException">BlobNotFound.</exception>
        Stream OpenBlob(Digest digest);

        /// <summary>Where a blob is, for messages: a file path, or an archive path and entry.</summary>
        string DescribeBlob(Digest digest);

        /// <summary>Every blob the store holds, referenced or not.</summary>
        IEnumerable<Digest> EnumerateBlobs();
    }

    /// <summary>A store that has things to say that are not errors (which driver it reads, what it leaves out); written as warnings.</summary>
    public interface IStoreNotes
    {
        IReadOnlyList<string> Notes { get; }
    }

    /// <summary>A row of a store's names table.</summary>
    public sealed class NamedImage
    {
        public NamedImage(string? name, Descriptor root)
        {
            Name = string.IsNullOrEmpty(name) ? null : name;
            Root = root;
            if (Name != null && ImageReference.TryParse(Name, out var r)) Reference = r;
        }

        /// <summary>The name as the store keeps it, or null for an image saved without a name.</summary>
        public string? Name { get; }

        /// <summary>The name parsed and normalized, when it is a valid reference.</summary>
        public ImageReference? Reference { get; }

        public Descriptor Root { get; }
    }
}
