using System.Management.Automation;
using ImageTools.Stores.Docker;

namespace ImageTools.Commands
{
    /// <summary>Finds what a Docker data root keeps that nothing uses: overlay2 directories no layer or container references, and more.</summary>
    /// <remarks>
    /// Reports overlay2 (or vfs) directories that no layer's cache-id and no container's mount-id or init-id names,
    /// -removing directories and layerdb folders Docker did not finish deleting, layerdb entries whose directory is
    /// gone, container mounts without a container, and overlay2/l short links that point nowhere, each with its size.
    /// These are the leftovers docker system prune cannot reclaim. Nothing is deleted: review the list, stop the
    /// daemon, and remove what you choose yourself.
    /// </remarks>
    /// <example>
    /// <code>Find-DockerOrphan -Path /var/lib/docker | Measure-Object -Sum Size</code>
    /// <para>How much space the orphaned overlay2 directories take.</para>
    /// </example>
    /// <example>
    /// <code>Find-DockerOrphan | Where-Object Kind -eq UnreferencedDirectory | Format-Table Id, Size, Path</code>
    /// <para>The overlay2 directories nothing references.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Find, "DockerOrphan", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(DockerOrphan))]
    public sealed class FindDockerOrphanCommand : DockerRootCmdlet
    {
        protected override void ProcessRecord()
        {
            foreach (var root in Roots())
            {
                if (!root.DirectoriesMapped)
                    WriteWarning($"{root.Location}: the {root.Driver} storage driver's directories are not mapped, so only layerdb leftovers are reported.");
                var scanner = new OverlayScanner(root);
                foreach (var orphan in DockerOrphanFinder.Find(root, scanner)) WriteObject(orphan);
            }
        }
    }
}
