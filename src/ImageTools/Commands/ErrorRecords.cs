using System;
using System.IO;
using System.Management.Automation;
using ImageTools.Oci;

namespace ImageTools.Commands
{
    /// <summary>Builds every ErrorRecord the module writes, so ids and categories stay the same everywhere.</summary>
    internal static class ErrorRecords
    {
        public static ErrorRecord From(Exception e, object? target)
        {
            switch (e)
            {
                case ImageToolsException ie:
                    return new ErrorRecord(ie, ie.ErrorId.ToString(), CategoryOf(ie.ErrorId), target ?? ie.Target);
                case InvalidDigestException de:
                    return new ErrorRecord(de, ErrorId.InvalidDigest.ToString(), ErrorCategory.InvalidArgument, target ?? de.Value);
                case ContentFormatException fe when ImageToolsException.IsInvalidDigest(fe):
                    return new ErrorRecord(fe, ErrorId.InvalidDigest.ToString(), ErrorCategory.InvalidArgument, target);
                case ContentFormatException fe:
                    return new ErrorRecord(fe, ErrorId.MalformedContent.ToString(), ErrorCategory.InvalidData, target);
                case UnauthorizedAccessException ua:
                    return new ErrorRecord(ua, "AccessDenied", ErrorCategory.PermissionDenied, target);
                case FileNotFoundException fnf:
                    return new ErrorRecord(fnf, ErrorId.FileNotFound.ToString(), ErrorCategory.ObjectNotFound, target);
                case DirectoryNotFoundException dnf:
                    return new ErrorRecord(dnf, ErrorId.FileNotFound.ToString(), ErrorCategory.ObjectNotFound, target);
                case InvalidDataException bad:
                    return new ErrorRecord(bad, ErrorId.ArchiveCorrupt.ToString(), ErrorCategory.InvalidData, target);
                case IOException io:
                    return new ErrorRecord(io, "IOError", ErrorCategory.ReadError, target);
                default:
                    return new ErrorRecord(e, e.GetType().Name, ErrorCategory.NotSpecified, target);
            }
        }

        public static ErrorRecord Create(ErrorId id, string message, object? target) =>
            From(new ImageToolsException(id, message, target?.ToString()), target);

        /// <summary>True for exceptions that describe bad input or a bad store, which become non-terminating errors.</summary>
        public static bool IsExpected(Exception e) => ExpectedFailures.IsExpected(e);

        private static ErrorCategory CategoryOf(ErrorId id) => id switch
        {
            ErrorId.StoreNotRecognized => ErrorCategory.InvalidArgument,
            ErrorId.FileNotFound => ErrorCategory.ObjectNotFound,
            ErrorId.BlobNotFound => ErrorCategory.ObjectNotFound,
            ErrorId.ImageNotFound => ErrorCategory.ObjectNotFound,
            ErrorId.PlatformNotFound => ErrorCategory.ObjectNotFound,
            ErrorId.InvalidDigest => ErrorCategory.InvalidArgument,
            ErrorId.InvalidReference => ErrorCategory.InvalidArgument,
            ErrorId.UnsupportedAlgorithm => ErrorCategory.NotImplemented,
            ErrorId.StoreUnreadable => ErrorCategory.ReadError,
            ErrorId.RegistryAccessDenied => ErrorCategory.PermissionDenied,
            ErrorId.RegistryUnavailable => ErrorCategory.ConnectionError,
            _ => ErrorCategory.InvalidData,
        };
    }
}
