using System;
using ImageTools.Oci;

namespace ImageTools
{
    /// <summary>A path whose earlier copies a later layer replaced or deleted: space the image carries for nothing.</summary>
    public sealed class WastedPath
    {
        public string Path { get; internal set; } = "";

        /// <summary>Bytes of the hidden copies of this path.</summary>
        public long WastedBytes { get; internal set; }

        /// <summary>How many hidden copies there are.</summary>
        public int Copies { get; internal set; }

        /// <summary>The layers holding the hidden copies (0 = bottom).</summary>
        public int[] Layers { get; internal set; } = Array.Empty<int>();

        /// <summary>The layers that replaced or deleted them.</summary>
        public int[] HiddenBy { get; internal set; } = Array.Empty<int>();

        /// <summary>The path is not in the final filesystem at all (deleted rather than replaced).</summary>
        public bool Removed { get; internal set; }

        public override string ToString() => Path;
    }

    /// <summary>Space efficiency of an image (dive's view), as Measure-Image returns it.</summary>
    public sealed class ImageMeasure
    {
        public string? ImageName { get; internal set; }
        public string? Platform { get; internal set; }
        public string ManifestDigest { get; internal set; } = "";
        public int LayerCount { get; internal set; }

        /// <summary>Bytes of the layer blobs as stored (usually compressed).</summary>
        public long CompressedBytes { get; internal set; }

        /// <summary>Bytes of file content in all layers, every copy counted.</summary>
        public long TotalBytes { get; internal set; }

        /// <summary>Bytes of file content the final filesystem shows (each hard-linked content once).</summary>
        public long FinalBytes { get; internal set; }

        /// <summary>Bytes of files that a later layer replaced or deleted.</summary>
        public long WastedBytes { get; internal set; }

        /// <summary>1 - WastedBytes / TotalBytes (1 for an image without waste or without files).</summary>
        public double Efficiency { get; internal set; }

        /// <summary>WastedBytes as a percentage of TotalBytes.</summary>
        public double WastedPercent => TotalBytes == 0 ? 0 : Math.Round(100.0 * WastedBytes / TotalBytes, 2);

        public int FileCount { get; internal set; }

        /// <summary>The paths wasting the most space, largest first.</summary>
        public WastedPath[] WastedPaths { get; internal set; } = Array.Empty<WastedPath>();
    }
}
