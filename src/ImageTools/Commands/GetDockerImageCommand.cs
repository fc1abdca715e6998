using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using ImageTools.Graph;

namespace ImageTools.Commands
{
    /// <summary>Lists the images of a Docker data root from its files, with no daemon.</summary>
    /// <remarks>
    /// Reads image/&lt;driver&gt;/imagedb (configs, checked against their names), imagedb/metadata (parent,
    /// lastUpdated) and repositories.json (familiar names with tags and digests), and the layer database for
    /// sizes. The answer matches docker image ls --no-trunc and docker image inspect: Id, RepoTags, RepoDigests,
    /// Created, Size. A running daemon is not disturbed: nothing is locked and nothing is written.
    /// </remarks>
    /// <example>
    /// <code>Get-DockerImage -Path /var/lib/docker</code>
    /// <para>Lists every image, as docker image ls does, from the files alone.</para>
    /// </example>
    /// <example>
    /// <code>Get-DockerImage -Name app | Get-OverlayDirectory</code>
    /// <para>The overlay2 directories of every layer of the app images.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "DockerImage", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(DockerImage))]
    public sealed class GetDockerImageCommand : DockerRootCmdlet
    {
        /// <summary>Which images, by the one name rule (about_ImageTools, NAMES): a name (app, app:2.0, docker.io/library/app:2.0), a wildcard pattern, a digest, or an image ID or a unique prefix of 4+ hex digits. All images when omitted; a value that matches nothing writes ImageNotFound.</summary>
        [Parameter(Position = 1)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(ImageNameCompleter))]
        public string[]? Name { get; set; }

        protected override void ProcessRecord()
        {
            var unmatched = new UnmatchedNames(Name);
            foreach (var root in Roots())
            {
                foreach (var image in SelectImages(root, Name, unmatched)) WriteObject(image);
            }
            WriteUnmatched(unmatched);
        }
    }
}
