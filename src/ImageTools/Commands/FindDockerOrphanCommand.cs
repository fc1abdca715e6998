using System.Linq;
using System.Management.Automation;
using ImageTools.Stores.Docker;

namespace ImageTools.Commands
{
    /// <summary>Finds what a Docker data root keeps that nothing uses: overlay2 directories no layer or container references, and more.</summary>
    /// <remarks>
    /// Reports overlay2 (or vfs) directories that no layer's cache-id and no container's mount-id or init-id names,
    /// -removing directories and layerdb folders Docker did not finish deleting, layerdb entries whose directory is
    /// gone, container mounts without a container, containers/&lt;id&gt; folders without a config.v2.json (dockerd skips
    /// them: an empty one is no container), and overlay2/l short links that point nowhere, each with its size (Size:
    /// the bytes of its files and links; DiskUsage: the allocated blocks, as du -sB1 gives them).
    /// These are the leftovers docker system prune cannot reclaim. Nothing is deleted: review the list, stop the
    /// daemon, and remove what you choose yourself.
    ///
    /// The list is only as good as the files that say what is in use. When any of them cannot be read or trusted (a
    /// layerdb entry, a cache-id, a container's mount-id or init-id, an image config, repositories.json, a parent link
    /// or a cycle of them, a container folder, a driver directory or short link that leads out of the root, a FIFO
    /// where a file belongs), Find-DockerOrphan writes an OrphanMarkingIncomplete error naming them and offers
    /// nothing at all. When a layer or container names a directory that does not exist, the directory nothing
    /// references may be the one it lost: then the missing directories are reported, with OrphanMarkingIncomplete,
    /// and no UnreferencedDirectory is offered.
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
        /// <summary>Orphans are found from what uses each directory; layer sizes and tar-split files are not read.</summary>
        protected override bool ReadsLayerDetails => false;

        protected override void ProcessRecord()
        {
            foreach (var root in Roots())
            {
                if (!root.DirectoriesMapped)
                    WriteWarning($"{root.Location}: the {root.Driver} storage driver's directories are not mapped, so only layerdb leftovers are reported.");
                var scanner = new OverlayScanner(root);
                var orphans = DockerOrphanFinder.Find(root, scanner, out var incomplete);
                // what kept the marking from being complete is written with its own id; a lower naming a missing link is Get-OverlayDirectory's to report
                foreach (var e in scanner.Errors) if (DockerOrphanFinder.IsGap(e)) Report(e);
                if (incomplete.Count > 0)
                {
                    string what = string.Join("; ", incomplete.Take(5)) + (incomplete.Count > 5 ? $"; and {incomplete.Count - 5} more" : "");
                    WriteError(ErrorRecords.Create(ErrorId.OrphanMarkingIncomplete,
                        $"{root.Location}: cannot tell everything that is in use, because {what}. " +
                        (orphans.Count == 0 ? "Nothing is offered as an orphan" : "No unreferenced directory is offered (it may be the one a layer or container lost)") +
                        ": repair or remove these entries first.", root.Location));
                }
                foreach (var orphan in orphans) WriteObject(orphan);
            }
        }
    }
}
