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
            return new ImageToolsException(ErrorId.IOError, $"{what} {destination} failed, nothing was put in place: {e.Message}", destination, destination, e);
        }
    }
}
