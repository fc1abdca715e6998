using System.Collections.Generic;
using System.Management.Automation;

namespace ImageTools.Commands
{
    /// <summary>
    /// The one declaration of -Path (wildcards) and -LiteralPath (alias PSPath, bound from the pipeline by property
    /// name) that name the store a cmdlet reads, and the one way they resolve: each value that cannot be read (missing,
    /// on a drive that does not exist, on a provider other than FileSystem) is a non-terminating error naming it, and
    /// the other values are still read.
    /// </summary>
    public abstract class StoreCmdlet : ImageToolsCmdlet
    {
        protected const string PathSet = "Path";
        protected const string LiteralPathSet = "LiteralPath";

        /// <summary>The store to read: an OCI layout folder, an oci-archive or docker save tar, a skopeo dir: folder, a registry's storage, a containerd root or a Docker data root (recognized from what is there). Wildcards are expanded.</summary>
        [Parameter(Position = 0, ParameterSetName = PathSet)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? Path { get; set; }

        /// <summary>The store to read, taken exactly as written (no wildcards); objects with a PSPath, LiteralPath or RootPath property (Get-ChildItem, the containerd cmdlets) bind here from the pipeline.</summary>
        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LP", "RootPath")]
        [ValidateNotNullOrEmpty]
        public string[]? LiteralPath { get; set; }

        /// <summary>The store read when -Path is left out (the Docker cmdlets: /var/lib/docker); null: -Path is required.</summary>
        protected virtual string[]? DefaultPath => null;

        /// <summary>True when the store comes from -Path or -LiteralPath (not from piped objects).</summary>
        protected bool FromPath => ParameterSetName == PathSet || ParameterSetName == LiteralPathSet;

        /// <summary>The provider paths -Path or -LiteralPath name; errors for those that cannot be read.</summary>
        internal IEnumerable<string> StorePaths()
        {
            if (ParameterSetName == LiteralPathSet) return ResolvePaths(LiteralPath, literal: true);
            var paths = Path ?? DefaultPath;
            if (paths == null)
                ThrowTerminatingError(ErrorRecords.Create(ErrorId.FileNotFound,
                    $"{MyInvocation.MyCommand.Name} needs a store: give -Path or -LiteralPath.", MyInvocation.MyCommand.Name));
            return ResolvePaths(paths, literal: false);
        }
    }
}
