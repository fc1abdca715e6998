using System;
using System.IO;
using System.Threading;
using ImageTools.Oci;

namespace ImageTools.Export
{
    /// <summary>Where a save writes: an archive (tar) or an OCI layout folder. Nothing is visible until <see cref="Commit"/>.</summary>
    internal interface IBlobSink : IDisposable
    {
        /// <summary>True when the blob is already written (in this run, or verified present in an existing layout).</summary>
        bool Has(Digest digest, long size);

        /// <summary>True when <see cref="Has"/> and <see cref="AddBlob"/> may be called from several threads at once (a layout folder; a tar is written in order).</summary>
        bool TakesParallelBlobs { get; }

        /// <summary>Copies <paramref name="size"/> bytes from <paramref name="content"/> as blob <paramref name="digest"/>;
        /// the content stream verifies itself, so a mismatch throws before anything is committed.</summary>
        void AddBlob(Digest digest, long size, Stream content, CancellationToken cancel, Action<long>? progress);

        /// <summary>Adds a small metadata file at the top (index.json, manifest.json, repositories, oci-layout).</summary>
        void AddFile(string name, byte[] content);

        /// <summary>Reads index.json of an existing destination (OCI layout only), null otherwise.</summary>
        byte[]? ExistingIndex { get; }

        /// <summary>Makes everything visible at the destination at once; returns the archive's digest when it is a single file.</summary>
        Digest? Commit();

        long BytesWritten { get; }
    }
}
