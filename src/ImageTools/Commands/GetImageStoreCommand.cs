using System;
using System.Linq;
using System.Management.Automation;
using ImageTools.Stores;
using ImageTools.Stores.Discovery;

namespace ImageTools.Commands
{
    /// <summary>Finds every image store of a host (Docker data roots, containerd roots, registry storage) from the host's own configuration.</summary>
    /// <remarks>
    /// Reads what the daemons read: Docker's etc/docker/daemon.json (data-root), containerd's etc/containerd/config.toml
    /// (root) and the registry's etc/docker/registry/config.yml (storage.filesystem.rootdirectory), then looks in the
    /// default places: var/lib/docker, var/lib/containerd, var/lib/docker-registry, var/lib/registry, and each user's
    /// rootless home/*/.local/share/docker and home/*/.local/share/containerd (with home/*/.config/docker/daemon.json and
    /// home/*/.config/containerd/config.toml). A moved data root usually leaves the old one behind, so both are listed.
    /// Every path, from a configuration file or a symlink, is taken under -Root: a mounted host disk or a restored backup is
    /// read as that host would see it, and nothing leads out of it. A configuration file that cannot be parsed is a
    /// non-terminating error (ConfigurationUnreadable), and so is one that is not a regular file (NotARegularFile: a FIFO
    /// is never opened); the default places are still searched. A configured place that is missing is a warning, one
    /// that holds no store yet (a daemon installed and never used) a verbose message. Each store is listed once with its
    /// images, names, blobs, the bytes its folder takes (du) and the space free beside it (df). The objects bind to
    /// -LiteralPath of every store cmdlet.
    /// Nothing is written.
    /// </remarks>
    /// <example>
    /// <code>Get-ImageStore</code>
    /// <para>Every image store of this machine.</para>
    /// </example>
    /// <example>
    /// <code>Get-ImageStore -Root /mnt/host-disk -Kind DockerRoot | Find-DockerOrphan</code>
    /// <para>The orphaned overlay2 folders of a host disk mounted for forensics, wherever its daemon.json moved the data root.</para>
    /// </example>
    /// <example>
    /// <code>Get-ImageStore | Test-ImageBlob -DiffId | Where-Object Status -ne Valid</code>
    /// <para>Every broken blob of every store on the machine.</para>
    /// </example>
    /// <example>
    /// <code>Invoke-Command -HostName web1, web2 -ScriptBlock { Get-ImageStore } | Format-Table PSComputerName, Kind, Path, Images, Size, FreeSpace</code>
    /// <para>The stores of a fleet (see about_ImageTools_Remoting).</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "ImageStore")]
    [OutputType(typeof(ImageStoreInfo))]
    public sealed class GetImageStoreCommand : ImageToolsCmdlet
    {
        /// <summary>The folder that stands for the host's /: a mounted host filesystem or a backup. / when omitted.</summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Root { get; set; } = "/";

        /// <summary>Only stores of these kinds (DockerRoot, Containerd, Registry). A Docker root that keeps its images in containerd is Containerd.</summary>
        [Parameter]
        public StoreKind[]? Kind { get; set; }

        protected override void EndProcessing()
        {
            var root = ResolvePaths(new[] { Root }, literal: true).FirstOrDefault();
            if (root == null) return;
            if (!System.IO.Directory.Exists(root))
            {
                WriteError(ErrorRecords.Create(ErrorId.FileNotFound, $"Cannot search '{Root}': it is not a folder.", Root));
                return;
            }
            var found = StoreDiscovery.Find(new HostTree(root), Report, WriteWarning, WriteVerbose);
            foreach (var place in found)
            {
                // only a Docker root can turn out to be another kind (Containerd) once opened
                if (!Wanted(place.Kind) && place.Kind != StoreKind.DockerRoot) continue;
                var store = OpenStore(place.Path);
                if (store == null) continue;
                if (!Wanted(store.Kind)) continue;
                StoreCensus census;
                try { census = StoreCensus.Take(store, place.Path); }
                catch (Exception e) when (ErrorRecords.IsExpected(e)) { WriteFailure(e, place.Path); continue; }
                WriteObject(new ImageStoreInfo(store.Kind, place.Path, place.HostPath, place.Source,
                    census.Images, census.Names, census.Blobs, census.Size, census.FreeSpace));
            }
        }

        private bool Wanted(StoreKind kind) => Kind == null || Kind.Length == 0 || Array.IndexOf(Kind, kind) >= 0;
    }
}
