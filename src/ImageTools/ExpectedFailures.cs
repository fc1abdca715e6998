using System;
using System.IO;
using ImageTools.Oci;

namespace ImageTools
{
    /// <summary>
    /// The one rule for which exceptions mean "bad input or a bad store" (a non-terminating error naming it) rather
    /// than a bug (which must surface as it is).
    /// </summary>
    public static class ExpectedFailures
    {
        public static bool IsExpected(Exception e) =>
            e is ImageToolsException || e is InvalidDigestException || e is ContentFormatException
            || e is IOException || e is UnauthorizedAccessException
            || e is InvalidDataException; // a compressed stream that cannot be inflated
    }
}
