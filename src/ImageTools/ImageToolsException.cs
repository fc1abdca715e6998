using System;

namespace ImageTools
{
    /// <summary>Stable error ids: every ErrorRecord the module writes carries one of these as its FullyQualifiedErrorId.</summary>
    public enum ErrorId
    {
        StoreNotRecognized,
        StoreUnreadable,
        BlobNotFound,
        DigestMismatch,
        SizeMismatch,
        DiffIdMismatch,
        InvalidDigest,
        InvalidReference,
        MalformedContent,
        ArchiveTruncated,
        ArchiveCorrupt,
        UnsafeEntryPath,
        CompressedStreamTruncated,
        UnsupportedAlgorithm,
        ImageNotFound,
        PlatformNotFound,
        ContentTooLarge,
        FileNotFound,
        DestinationExists,
        TarSplitMismatch,
        DockerRootUnsupported,
        MetadataCorrupt,
        NamespaceNotFound,
        InvalidLink,
        InvalidRepositoryName,
        GarbageMarkingIncomplete,
        DestinationNotEmpty,
        /// <summary>A blob or document is expected and the path is a FIFO, device, socket or folder; it is never opened for reading.</summary>
        NotARegularFile,
        /// <summary>A path inside a store resolves (through a symlink or `..`) to a place outside the store's root.</summary>
        PathOutsideStore,
        /// <summary>Find-DockerOrphan could not read everything that says what is in use; nothing is offered.</summary>
        OrphanMarkingIncomplete,
        /// <summary>A writer's destination is inside (or is) the store being read.</summary>
        DestinationInsideSource,
        /// <summary>Reading or writing failed at the operating-system level (disk full, I/O error, read-only file system).</summary>
        IOError,
        /// <summary>One name would leave with two different images (a save of app:2.0 and docker.io/library/app:2.0 recorded apart).</summary>
        NameConflict,
        /// <summary>A daemon's configuration file (daemon.json, config.toml, config.yml) cannot be parsed; Get-ImageStore still searches the default places.</summary>
        ConfigurationUnreadable,
        /// <summary>A registry (or its token server) refused the credentials or the scope asked for (401, 403).</summary>
        RegistryAccessDenied,
        /// <summary>A registry could not be reached, or kept failing (408, 429, 5xx, dropped connections) after the retries, or answered what the API does not allow.</summary>
        RegistryUnavailable,
    }

    /// <summary>
    /// The one exception type the module's lower layers raise for problems a user should read about.
    /// <see cref="Target"/> names what is wrong (a blob digest, an archive entry, a file) and <see cref="Location"/> where.
    /// </summary>
    public class ImageToolsException : Exception
    {
        public ErrorId ErrorId { get; }
        public string? Target { get; }
        public string? Location { get; }

        /// <remarks>
        /// One id per kind of wrong: MalformedContent whose cause is a malformed digest (in an index, a manifest, a
        /// link) is InvalidDigest, wherever the document was read.
        /// </remarks>
        public ImageToolsException(ErrorId errorId, string message, string? target = null, string? location = null, Exception? inner = null)
            : base(message, inner)
        {
            ErrorId = errorId == ErrorId.MalformedContent && IsInvalidDigest(inner) ? ErrorId.InvalidDigest : errorId;
            Target = target;
            Location = location;
        }

        /// <summary>True when the exception, or one it wraps, says a digest is malformed.</summary>
        public static bool IsInvalidDigest(Exception? e)
        {
            for (; e != null; e = e.InnerException)
                if (e is Oci.InvalidDigestException) return true;
            return false;
        }
    }
}
