using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using ImageTools.Content;
using ImageTools.Export.Unpack;

namespace ImageTools.Commands
{
    /// <summary>Lists the entries of layer tars, one object per entry, streamed as the layer is read.</summary>
    /// <remarks>
    /// Each entry carries its path (from the image root), type, size, mode (as ls prints it and as a number), owner,
    /// modification time, link target, extended attributes (PAX SCHILY.xattr records), and whether it is a whiteout
    /// (.wh.NAME) or an opaque marker (.wh..wh..opq), with the layer it is in. Layers may be gzip, zstd or plain tar;
    /// the blob's digest is verified before any of its entries is written (a layer whose bytes do not match its digest
    /// is a DigestMismatch error and none of its entries is listed; a layer of up to 16 MiB is read once, a larger one
    /// is read twice: verified, then listed). A tar that ends
    /// without end-of-archive blocks (umoci 0.4.7 writes some) is read as far as it goes, with a warning; one cut
    /// inside an entry gives an ArchiveTruncated error after the entries before it. Paths that are absolute, climb
    /// out with '..' or are the whiteouts .wh.. and .wh... are listed as they are, with UnsafeReason set. Names are
    /// shown with their control characters escaped (ESC as \x1b); the Path property keeps them as stored.
    /// </remarks>
    /// <example>
    /// <code>Get-ImageLayerEntry -Path ./layout -Name app:2.0 | Where-Object IsWhiteout</code>
    /// <para>The whiteouts and opaque markers of app:2.0, with the layers they are in.</para>
    /// </example>
    /// <example>
    /// <code>Get-ImageLayer ./layout base:1.0 | Select-Object -Last 1 | Get-ImageLayerEntry | Sort-Object Size -Descending | Select-Object -First 10</code>
    /// <para>The ten largest entries of the top layer of base:1.0.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "ImageLayerEntry", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(LayerEntry))]
    public sealed class GetImageLayerEntryCommand : ManifestSourceCmdlet
    {
        /// <summary>Layers from Get-ImageLayer.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = "Layer")]
        public ImageLayerInfo[]? Layer { get; set; }

        /// <summary>Manifests from Get-ImageManifest; all their layers are listed.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = "Manifest")]
        public ImageManifestInfo[]? Manifest { get; set; }

        /// <summary>Only the layers at these positions (0 = bottom layer).</summary>
        [Parameter]
        public int[]? LayerIndex { get; set; }

        protected override void ProcessRecord()
        {
            var work = new List<(ImageManifestInfo Manifest, int Index)>();
            if (ParameterSetName == "Layer")
                foreach (var l in Layer ?? new ImageLayerInfo[0]) work.Add((l.ManifestInfo, l.Index));
            else
            {
                var manifests = ParameterSetName == "Manifest" ? (IEnumerable<ImageManifestInfo>)(Manifest ?? new ImageManifestInfo[0]) : InputImages().SelectMany(ManifestsOf);
                foreach (var m in manifests)
                    for (int i = 0; i < m.Manifest.Layers.Count; i++) work.Add((m, i));
            }
            foreach (var (m, index) in work)
            {
                if (LayerIndex != null && !LayerIndex.Contains(index)) continue;
                List(m, index);
            }
        }

        private void List(ImageManifestInfo m, int index)
        {
            var descriptor = m.Manifest.Layers[index];
            try
            {
                using var layer = new LayerSource(m.Store, descriptor, index, m.ImageName, verifyFirst: true, readAhead: true);
                TarEntry? e;
                while ((e = layer.Next()) != null)
                    WriteObject(new LayerEntry(e, index, descriptor.Digest, m.ImageName));
                layer.Finish(WriteWarning);
            }
            catch (System.Exception e) when (ErrorRecords.IsExpected(e))
            {
                WriteFailure(e is System.IO.InvalidDataException ? new ImageToolsException(ErrorId.ArchiveCorrupt,
                    $"Layer {index} ({descriptor.Digest}) of {m.ImageName} cannot be decompressed: {e.Message}", descriptor.Digest.ToString(), m.Store.Location, e) : e, descriptor.Digest);
            }
        }
    }
}
