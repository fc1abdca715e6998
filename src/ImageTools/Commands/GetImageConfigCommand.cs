using System.Collections.Generic;
using System.Management.Automation;
using ImageTools.Graph;

namespace ImageTools.Commands
{
    /// <summary>Gets the configuration of images: entrypoint, environment, labels, history, DiffIDs. Its digest is the image ID.</summary>
    /// <remarks>
    /// One object per platform manifest. ImageId is the digest of the config blob: what docker image ls shows as
    /// IMAGE ID and what containerd calls the config digest. The config is verified against its digest as it is read.
    /// </remarks>
    /// <example>
    /// <code>Get-Image -Path ./app.tar | Get-ImageConfig | Select-Object ImageName, ImageId, Entrypoint, Env</code>
    /// <para>The image ID, entrypoint and environment of every image in an archive.</para>
    /// </example>
    /// <example>
    /// <code>(Get-ImageConfig -Path ./layout -Name base:1.0).History | Format-Table Created, CreatedBy, EmptyLayer</code>
    /// <para>How base:1.0 was built.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "ImageConfig", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(ImageConfigInfo))]
    public sealed class GetImageConfigCommand : ManifestSourceCmdlet
    {
        /// <summary>Manifests from Get-ImageManifest.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = "Manifest")]
        public ImageManifestInfo[]? Manifest { get; set; }

        protected override void ProcessRecord()
        {
            foreach (var manifest in Manifests())
            {
                try { WriteObject(new ImageConfigInfo(manifest, StoreGraph.Of(manifest.Store).Config(manifest.Manifest.Config))); }
                catch (System.Exception e) when (ErrorRecords.IsExpected(e)) { WriteFailure(e, manifest); }
            }
        }

        private IEnumerable<ImageManifestInfo> Manifests()
        {
            if (ParameterSetName == "Manifest") return Manifest ?? new ImageManifestInfo[0];
            var all = new List<ImageManifestInfo>();
            foreach (var image in InputImages()) all.AddRange(ManifestsOf(image));
            return all;
        }
    }
}
