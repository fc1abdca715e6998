using System.Management.Automation;
using ImageTools.Graph;

namespace ImageTools.Commands
{
    /// <summary>Gets the image indexes (OCI indexes and Docker manifest lists) of images, nested ones included.</summary>
    /// <remarks>
    /// Images whose root is a single manifest have no index and give nothing. Each index is verified against its
    /// digest as it is read.
    /// </remarks>
    /// <example>
    /// <code>Get-Image -Path ./layout -Name multi:latest | Get-ImageIndex | Select-Object -ExpandProperty Manifests</code>
    /// <para>The descriptors (digest, size, platform) listed by a multi-platform image's index.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "ImageIndex", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(ImageIndexInfo))]
    public sealed class GetImageIndexCommand : ImageSourceCmdlet
    {
        /// <summary>Images from Get-Image.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = "Image")]
        [ImageInputTransformation]
        public Image[]? Image { get; set; }

        protected override void ProcessRecord()
        {
            foreach (var image in ParameterSetName == "Image" ? Image ?? new Image[0] : ImagesFromPath())
            {
                var walk = StoreGraph.Of(image.Store).Walk(image.Descriptor);
                foreach (var index in walk.Indexes) WriteObject(new ImageIndexInfo(image, index.Descriptor, index.Index));
                foreach (var problem in walk.Problems) WriteFailure(problem, image);
            }
        }
    }
}
