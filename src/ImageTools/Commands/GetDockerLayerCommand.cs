using System.Linq;
using System.Management.Automation;
using ImageTools.Oci;

namespace ImageTools.Commands
{
    /// <summary>Lists the layers of a Docker data root's layer database and the storage-driver directory of each.</summary>
    /// <remarks>
    /// One object per image/&lt;driver&gt;/layerdb/sha256/&lt;ChainID&gt;: its DiffID, cache-id (the overlay2
    /// directory name, which admins otherwise read with cat .../cache-id), parent, size, whether a tar-split is
    /// kept, and which images and containers use it. Piping images in lists their layers, bottom first.
    /// </remarks>
    /// <example>
    /// <code>Get-DockerLayer | Select-Object ChainId, CacheId, OverlayPath</code>
    /// <para>The overlay2 directory of every layer: the cat layerdb/sha256/&lt;id&gt;/cache-id chore, for all layers at once.</para>
    /// </example>
    /// <example>
    /// <code>Get-DockerImage -Name base:1.0 | Get-DockerLayer</code>
    /// <para>The layers of base:1.0, bottom first.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "DockerLayer", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(DockerLayer))]
    public sealed class GetDockerLayerCommand : DockerRootCmdlet
    {
        /// <summary>Only layers whose ChainID, DiffID or cache-id matches (whole, a prefix of 4+ characters, or a wildcard pattern).</summary>
        [Parameter(Position = 1, ParameterSetName = PathSet)]
        [Parameter(ParameterSetName = LiteralPathSet)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(DockerLayerIdCompleter))]
        public string[]? Id { get; set; }

        /// <summary>Images (from Get-DockerImage) whose layers to list.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
        public DockerImage[]? Image { get; set; }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == InputObjectSet)
            {
                foreach (var image in Image!)
                    foreach (var chain in image.LayerChainIdValues)
                    {
                        var layer = image.Root.FindLayer(chain);
                        if (layer != null) WriteObject(layer);
                        else WriteError(ErrorRecords.Create(ErrorId.BlobNotFound, $"Image {image.Id} needs layer {chain}, which is not in the layer database of {image.StorePath}.", chain.ToString()));
                    }
                return;
            }
            foreach (var root in Roots())
                foreach (var layer in root.Layers)
                    if (Id == null || Id.Any(p => MatchesId(p, layer.ChainId.ToString()) || (layer.DiffId != null && MatchesId(p, layer.DiffId.ToString())) || (layer.CacheId != null && MatchesId(p, layer.CacheId))))
                        WriteObject(layer);
        }
    }
}
