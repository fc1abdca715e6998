using System;
using System.Management.Automation;
using ImageTools.Stores.Docker;

namespace ImageTools.Commands
{
    /// <summary>Lists what a container changed in its file system, as docker diff does, from the files alone.</summary>
    /// <remarks>
    /// Walks the container's upper directory (overlay2/&lt;mount-id&gt;/diff) and compares it with the init layer and
    /// the image's layers: a file the image has is Changed, one it has not is Added, a character device 0:0
    /// (an overlayfs whiteout) is Deleted, and an opaque directory hides everything the image had below it, so
    /// what the image had there and the container has not is Deleted. Folders holding changes are Changed.
    /// The paths and kinds match docker diff; no daemon and no mount is needed. overlay2 only.
    /// </remarks>
    /// <example>
    /// <code>Get-DockerContainer -Name web | Get-ContainerChange</code>
    /// <para>docker diff web, offline.</para>
    /// </example>
    /// <example>
    /// <code>Get-DockerContainer | Get-ContainerChange | Where-Object Kind -eq Added | Sort-Object Size -Descending | Select-Object -First 20</code>
    /// <para>The largest files containers added, over every container.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "ContainerChange", DefaultParameterSetName = InputObjectSet)]
    [OutputType(typeof(ContainerChange))]
    public sealed class GetContainerChangeCommand : DockerRootCmdlet
    {
        /// <summary>The containers (from Get-DockerContainer).</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
        public DockerContainer[]? Container { get; set; }

        /// <summary>With -Path: the container's name, id or id prefix.</summary>
        [Parameter(Mandatory = true, ParameterSetName = PathSet)]
        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet)]
        [ArgumentCompleter(typeof(DockerContainerCompleter))]
        public string[]? Name { get; set; }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == InputObjectSet)
            {
                foreach (var c in Container!) Emit(c);
                return;
            }
            foreach (var root in Roots())
                foreach (var n in Name!)
                {
                    bool any = false;
                    foreach (var c in root.Containers)
                        if (ContainerMatches(c, n)) { any = true; Emit(c); }
                    if (!any) WriteError(ErrorRecords.Create(ErrorId.FileNotFound, $"No container in {root.Location} matches '{n}'.", n));
                }
        }

        private void Emit(DockerContainer c)
        {
            try
            {
                foreach (var change in new ContainerChanges(c).Compute())
                {
                    change.ContainerName = c.Name;
                    WriteObject(change);
                }
            }
            catch (Exception e) when (ErrorRecords.IsExpected(e))
            {
                WriteFailure(e, c.Id);
            }
        }
    }
}
