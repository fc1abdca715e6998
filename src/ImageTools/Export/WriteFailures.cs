using System;
using System.IO;

namespace ImageTools.Export
{
    /// <summary>What a writer says when the operating system refuses a write (disk full, I/O error, read-only file system, permissions).</summary>
    internal static class WriteFailures
    {
        /// <summary>An IOError naming the destination and the system's reason for an I/O or access failure; any other exception unchanged.</summary>
        public static Exception Describe(Exception e, string destination, string what)
        {
            if (e is ImageToolsException || !(e is IOException || e is UnauthorizedAccessException)) return e;
            // The system's own words (a writer thread's failure arrives wrapped in an IOException of our own).
            var cause = e;
            while (cause.InnerException is IOException || cause.InnerException is UnauthorizedAccessException) cause = cause.InnerException;
            return new ImageToolsException(ErrorId.IOError, $"{what} {destination} failed, nothing was put in place: {cause.Message}", destination, destination, e);
        }
    }
}
