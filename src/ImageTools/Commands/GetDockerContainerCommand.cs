using System.Linq;
using System.Management.Automation;

namespace ImageTools.Commands
{
    /// <summary>Lists the containers of a Docker data root and the storage-driver directories each one uses.</summary>
    /// <remarks>
    /// Reads containers/&lt;id&gt;/config.v2.json (name, image, state, times) and image/&lt;driver&gt;/layerdb/mounts/&lt;id&gt;
    /// (mount-id, init-id, parent). UpperDir is the container's read-write layer, InitDir its init layer and LowerDirs
    /// the image's layers, top first, as overlayfs mounts them; IsMounted says whether merged/ is mounted now.
    /// A container whose config.v2.json cannot be read is still listed (with an error naming the file).
    /// </remarks>
    /// <example>
    /// <code>Get-DockerContainer | Format-Table Name, State, ImageName, UpperDir</code>
    /// <para>Every container and the overlay2 directory holding its changes.</para>
    /// </example>
    /// <example>
    /// <code>Get-DockerContainer -Name web | Get-ContainerChange</code>
    /// <para>What the container web changed, as docker diff would say, without a daemon.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "DockerContainer", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(DockerContainer))]
    public sealed class GetDockerContainerCommand : DockerRootCmdlet
    {
        /// <summary>Which containers: a name, a wildcard pattern, or an id or a prefix of one. All containers when omitted.</summary>
        [Parameter(Position = 1)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(DockerContainerCompleter))]
        public string[]? Name { get; set; }

        protected override void ProcessRecord()
        {
            foreach (var root in Roots())
            {
                foreach (var c in root.Containers)
                    if (Name == null || Name.Any(n => ContainerMatches(c, n))) WriteObject(c);
                foreach (var n in Name ?? System.Array.Empty<string>())
                    if (!WildcardPattern.ContainsWildcardCharacters(n) && !root.Containers.Any(c => ContainerMatches(c, n)))
                        WriteError(ErrorRecords.Create(ErrorId.FileNotFound, $"No container in {root.Location} matches '{n}'.", n));
            }
        }
    }
}
