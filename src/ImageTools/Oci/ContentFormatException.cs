using System;

namespace ImageTools.Oci
{
    /// <summary>Raised when a JSON document (index, manifest, config, link file...) is malformed or has wrong-typed fields.</summary>
    public sealed class ContentFormatException : FormatException
    {
        public ContentFormatException(string message, Exception? inner = null) : base(message, inner) { }
    }
}
