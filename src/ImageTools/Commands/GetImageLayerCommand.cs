using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using ImageTools.Content;
using ImageTools.Oci;
using ImageTools.Graph;
using ImageTools.Stores;

namespace ImageTools.Commands
{
    /// <summary>Gets the layers of images, bottom first, with digest, DiffID, ChainID, compression and size.</summary>
    /// <remarks>
    /// Index counts from the bottom layer (0). Digest is the digest of the blob as stored (usually compressed);
    /// DiffId is the digest of the uncompressed tar, from the config's rootfs.diff_ids; ChainId identifies the
    /// stack of layers up to this one (what containerd and Docker name snapshots and layer folders by).
    /// Compression is read from the first bytes of the blob, not trusted from the media type. Listing reads only
    /// those few bytes of each layer; use Test-ImageBlob -DiffId to verify layer content.
    /// </remarks>
    /// <example>
    /// <code>Get-Image -Path ./app.tar | Get-ImageManifest | Get-ImageLayer | Where-Object Size -gt 100MB</code>
    /// <para>The layers larger than 100 MB.</para>
    /// </example>
    /// <example>
    /// <code>Get-ImageLayer -Path ./layout -Name app:2.0 | Format-Table Index, DiffId, ChainId</code>
    /// <para>DiffIDs and ChainIDs of app:2.0, to compare with what docker or containerd keep.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "ImageLayer", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(ImageLayerInfo))]
    public sealed class GetImageLayerCommand : ManifestSourceCmdlet
    {
        /// <summary>Manifests from Get-ImageManifest.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = "Manifest")]
        public ImageManifestInfo[]? Manifest { get; set; }

        /// <summary>Artifacts from Get-ImageReferrer: their blobs (a signature envelope, an SPDX document, an in-toto statement) as layers.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = "Referrer")]
        public ImageReferrer[]? Referrer { get; set; }

        protected override void ProcessRecord()
        {
            IEnumerable<ImageManifestInfo> manifests;
            if (ParameterSetName == "Manifest") manifests = Manifest ?? new ImageManifestInfo[0];
            else if (ParameterSetName == "Referrer") manifests = (Referrer ?? new ImageReferrer[0]).SelectMany(r => LayerInput.AsManifests(this, r)).ToList();
            else
            {
                var list = new List<ImageManifestInfo>();
                foreach (var image in InputImages()) list.AddRange(ManifestsOf(image));
                manifests = list;
            }
            foreach (var m in manifests)
                foreach (var layer in LayersOf(m, e => WriteFailure(e, m)))
                    WriteObject(layer);
        }

        internal static IEnumerable<ImageLayerInfo> LayersOf(ImageManifestInfo m, System.Action<System.Exception> onError)
        {
            var diffIds = DiffIdsOf(m, onError);
            var chainIds = ChainId.Compute(diffIds);
            var layers = m.Manifest.Layers;
            for (int i = 0; i < layers.Count; i++)
            {
                yield return new ImageLayerInfo(m, i, layers[i],
                    i < diffIds.Count ? diffIds[i] : null,
                    i < chainIds.Count ? chainIds[i] : null,
                    StoreGraph.Of(m.Store).CompressionOf(layers[i], onError));
            }
        }

        /// <summary>The DiffIDs the config of a manifest lists; a config that cannot be read, or that lists another number of layers than the manifest, is reported.</summary>
        internal static IReadOnlyList<Digest> DiffIdsOf(ImageManifestInfo m, System.Action<System.Exception> onError)
        {
            IReadOnlyList<Digest> diffIds = new Digest[0];
            // an artifact's config is often no image config (application/vnd.oci.empty.v1+json): its blobs have no DiffIDs
            if (!MediaTypes.IsConfig(m.Manifest.Config.MediaType)) return diffIds;
            try { diffIds = StoreGraph.Of(m.Store).Config(m.Manifest.Config).DiffIds; }
            catch (ImageToolsException e) { onError(e); }
            int layers = m.Manifest.Layers.Count;
            if (diffIds.Count != 0 && diffIds.Count != layers)
                onError(new ImageToolsException(ErrorId.MalformedContent,
                    $"Manifest {m.Digest} lists {layers} layers but its config {m.ConfigDigest} lists {diffIds.Count} diff_ids.", m.Digest.ToString(), m.Store.Location));
            return diffIds;
        }
    }
}
