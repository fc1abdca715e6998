using System.Collections.Generic;
using System.Management.Automation;
using ImageTools.Graph;
using ImageTools.Stores;

namespace ImageTools.Commands
{
    /// <summary>A cmdlet that takes images from -Path/-LiteralPath with -Name, or from the pipeline.</summary>
    public abstract class ImageSourceCmdlet : StoreCmdlet
    {



        /// <summary>Which images, by the one name rule (about_ImageTools, NAMES): a wildcard pattern, the name exactly as the store records it, a digest, a reference (base:1.0 and docker.io/library/base:1.0 are the same) or a repository alone (all its tags), an image ID or a unique prefix of 4+ hex digits. All images when omitted; a value no store matches writes ImageNotFound.</summary>
        [Parameter(Position = 1, ParameterSetName = PathSet)]
        [Parameter(Position = 1, ParameterSetName = LiteralPathSet)]
        [SupportsWildcards]
        public string[]? Name { get; set; }

        /// <summary>A hook for a cmdlet to restrict a store it opened (Get-Image -Namespace on a containerd root); null after writing an error.</summary>
        internal virtual IImageStore? NarrowStore(IImageStore store) => store;

        private IImageStore? Narrow(IImageStore store)
        {
            var narrowed = NarrowStore(store);
            return IncludeUntaggedImages && narrowed is Stores.Registry.RegistryStore registry ? registry.WithUntagged() : narrowed;
        }

        /// <summary>True when the names table should also list untagged images (registry revisions no tag points at).</summary>
        internal virtual bool IncludeUntaggedImages => false;

        /// <summary>
        /// The images -Path/-LiteralPath and -Name select, each once; errors for paths that cannot be read and for
        /// names that match nothing in any of the stores.
        /// </summary>
        internal IEnumerable<Image> ImagesFromPath()
        {
            var unmatched = new UnmatchedNames(Name);
            foreach (var path in StorePaths())
            {
                var seen = new HashSet<Image>();
                foreach (var (image, _) in SelectImages(path, Name, unmatched, Narrow))
                    if (seen.Add(image)) yield return image;
            }
            WriteUnmatched(unmatched);
        }
    }
}
