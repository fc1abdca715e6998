using System.Management.Automation;
using ImageTools.Export;

namespace ImageTools.Commands
{
    /// <summary>Packs images into one archive like docker save, from any store: several images, shared blobs written once.</summary>
    /// <remarks>
    /// Names follow docker save: a repository alone saves all its tags, repository:tag saves that image with that tag,
    /// an image ID (or unique prefix) or a digest saves the image without any name. Unlike docker 25, every unnamed
    /// image keeps its own index.json entry (moby/moby#51389).
    ///
    /// The default DockerArchive format is the Docker 25+ shape that both worlds load: an OCI layout (oci-layout,
    /// index.json with io.containerd.image.name and org.opencontainers.image.ref.name, blobs/sha256/...) plus
    /// manifest.json and repositories for docker load. OciArchive writes the OCI layout alone as a tar (skopeo's
    /// oci-archive); OciLayout writes a folder and adds to an existing layout without disturbing what is there.
    ///
    /// Every blob is digested while it is copied and checked against its descriptor; a mismatch stops the save
    /// with an error naming the image and the blob. The archive is written to a temporary file beside the
    /// destination and renamed into place only when complete: a failed, interrupted (Ctrl+C) or -WhatIf run leaves
    /// no file, and an existing destination is only replaced with -Force. A full disk or another system error is an
    /// IOError naming the destination; temporary files left by a writer that was killed are removed by the next one
    /// writing beside them. A destination inside a store being read (or equal to it) is refused before anything is
    /// written (DestinationInsideSource).
    /// </remarks>
    /// <example>
    /// <code>Save-Image -Path ./layout -Name base:1.0, app -DestinationPath ./images.tar</code>
    /// <para>Saves base:1.0 and every tag of app into one archive that docker load, ctr images import and skopeo read.</para>
    /// </example>
    /// <example>
    /// <code>Get-Image -Path ./a.tar, ./layout | Save-Image -DestinationPath ./bundle.tar -Format OciArchive</code>
    /// <para>Packs every image of two stores into one oci-archive.</para>
    /// </example>
    /// <example>
    /// <code>Get-ImageReference -Path ./k8s | Save-Image -Path ./mirror -DestinationPath ./deployment.tar</code>
    /// <para>Packs exactly the images a set of Kubernetes manifests needs, from a local OCI layout mirror.</para>
    /// </example>
    /// <example>
    /// <code>Save-Image -Reference 10.10.10.250/library/calico/cni:v3.26.1 -AllPlatforms -Format OciArchive -DestinationPath ./cni.tar</code>
    /// <para>Pulls an image with all its platforms from a private registry into an oci-archive for an air-gapped site; every blob is verified as it streams, and a failed pull leaves no file.</para>
    /// </example>
    [Cmdlet(VerbsData.Save, "Image", DefaultParameterSetName = PathSet, SupportsShouldProcess = true)]
    [OutputType(typeof(SavedArchive))]
    public sealed class SaveImageCommand : SaveImageCommandBase
    {
        /// <summary>The archive file to write (a folder with -Format OciLayout).</summary>
        [Parameter(Mandatory = true)]
        [Alias("OutFile")]
        public string DestinationPath { get; set; } = "";

        /// <summary>DockerArchive (default; docker, containerd and skopeo load it), OciArchive, or OciLayout (a folder).</summary>
        [Parameter]
        public SaveFormat Format { get; set; } = SaveFormat.DockerArchive;

        /// <summary>Replace an existing archive.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>
        /// Compress the whole archive as <c>docker save | gzip</c> would: Gzip, Zstd or None. Default: from the
        /// destination's name (.tar.gz and .tgz gzip, .tar.zst zstd, anything else none). docker load reads both.
        /// </summary>
        [Parameter]
        public ArchiveCompression? ArchiveCompression { get; set; }

        protected override SaveFormat FormatToWrite => Format;
        protected override ArchiveCompression CompressionToWrite(string destination) =>
            ArchiveCompression ?? ArchiveCompressions.FromFileName(destination);
        protected override string DestinationArgument => DestinationPath;
        protected override bool Overwrite => Force;
    }
}
