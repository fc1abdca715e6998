using System;
using System.IO;
using System.Management.Automation;
using ImageTools.Content;
using ImageTools.Oci;

namespace ImageTools.Commands
{
    /// <summary>Computes the OCI-form digest (sha256:...) and size of files; with -Uncompressed, of their decompressed content.</summary>
    /// <remarks>
    /// The digest is what a descriptor would carry for the file as a blob. With -Uncompressed, gzip and zstd files
    /// are decompressed first (the compression is read from the bytes), which gives a layer's DiffID; plain files
    /// are digested as they are. The file is streamed, so memory stays flat whatever its size.
    /// </remarks>
    /// <example>
    /// <code>Get-ContentDigest -Path ./layer.tar.gz -Uncompressed</code>
    /// <para>The DiffID of a compressed layer.</para>
    /// </example>
    /// <example>
    /// <code>Get-ChildItem ./layout/blobs/sha256 | Get-ContentDigest | Where-Object { $_.Digest.Encoded -ne (Split-Path $_.Path -Leaf) }</code>
    /// <para>Finds blobs in an OCI layout whose content does not match their file name.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "ContentDigest", DefaultParameterSetName = "Path")]
    [OutputType(typeof(ContentDigestInfo))]
    public sealed class GetContentDigestCommand : ImageToolsCmdlet
    {
        /// <summary>The files to digest. Wildcards are expanded.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Path", ValueFromPipeline = true)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? Path { get; set; }

        /// <summary>The files to digest, taken exactly as written.</summary>
        [Parameter(Mandatory = true, ParameterSetName = "LiteralPath", ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string[]? LiteralPath { get; set; }

        /// <summary>The digest algorithm: sha256 (default) or sha512.</summary>
        [Parameter]
        [ValidateSet(Digest.Sha256, Digest.Sha512)]
        public string Algorithm { get; set; } = Digest.Sha256;

        /// <summary>Digest the decompressed content (gzip and zstd are recognized from the bytes): a layer's DiffID.</summary>
        [Parameter]
        public SwitchParameter Uncompressed { get; set; }

        protected override void ProcessRecord()
        {
            bool literal = ParameterSetName == "LiteralPath";
            foreach (var path in ResolvePaths(literal ? LiteralPath : Path, literal))
            {
                if (Directory.Exists(path))
                {
                    WriteError(ErrorRecords.Create(ErrorId.FileNotFound, $"{path} is a folder; Get-ContentDigest digests files.", path));
                    continue;
                }
                try { WriteObject(Compute(path)); }
                catch (Exception e) when (ErrorRecords.IsExpected(e)) { WriteFailure(e, path); }
            }
        }

        private ContentDigestInfo Compute(string path)
        {
            using var file = ContentFiles.OpenRead(path);
            long length = file.Length;
            Compression compression = Compression.None;
            Stream source = Uncompressed ? Decompression.Open(file, path, out compression) : file;
            var progress = new ProgressRecord(2, "Get-ContentDigest", path);
            var last = DateTime.UtcNow;
            // StreamDigester reads on this (the pipeline) thread, so the callback may write progress.
            var result = StreamDigester.Digest(source, Algorithm, default, _ =>
            {
                if ((DateTime.UtcNow - last).TotalMilliseconds < 500) return;
                last = DateTime.UtcNow;
                progress.PercentComplete = length > 0 ? (int)Math.Min(100, file.Position * 100 / length) : 0;
                WriteProgress(progress);
            });
            ProgressEnd.Complete(this, progress);
            return new ContentDigestInfo
            {
                Path = path,
                Algorithm = Algorithm,
                Digest = result.Digest.ToOutput(),
                Size = result.Size,
                Uncompressed = Uncompressed,
                CompressionValue = compression,
            };
        }
    }
}
