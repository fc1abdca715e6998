using System;
using ImageTools.Oci;

namespace ImageTools
{
    /// <summary>What Expand-Image wrote: where, from which image, and how much.</summary>
    public sealed class ImageUnpackResult
    {
        public string Path { get; internal set; } = "";
        public string? ImageName { get; internal set; }
        public string? Platform { get; internal set; }
        public string ManifestDigest { get; internal set; } = "";
        public int Layers { get; internal set; }

        /// <summary>Tar entries read, whiteouts included.</summary>
        public long Entries { get; internal set; }

        public long Files { get; internal set; }
        public long Directories { get; internal set; }
        public long Links { get; internal set; }

        /// <summary>Bytes of file content written.</summary>
        public long Bytes { get; internal set; }

        /// <summary>Entries refused or not written (unsafe paths, device nodes without root).</summary>
        public long Skipped { get; internal set; }

        public TimeSpan Duration { get; internal set; }
    }
}
