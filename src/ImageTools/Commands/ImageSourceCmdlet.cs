using System.Collections.Generic;
using System.Management.Automation;
using ImageTools.Graph;
using ImageTools.Stores;

namespace ImageTools.Commands
{
    /// <summary>A cmdlet that takes images from -Path/-LiteralPath with -Name, or from the pipeline.</summary>
    public abstract class ImageSourceCmdlet : StoreCmdlet
    {
        /// <summary>Images in registries over HTTP, host/repository:tag or host/repository@sha256:… (docker.io names go to Docker Hub, as docker pulls them); read without -Path. With -Path, the values are names in that store, as -Name. Takes the Reference property of piped objects (Get-ImageReference).</summary>
        [Parameter(ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string[]? Reference { get; set; }

        /// <summary>Registries: the user name and password (or token) to log in with; without it, Docker's config.json (credHelpers, credsStore, auths), then anonymous.</summary>
        [Parameter(ParameterSetName = PathSet)]
        [Credential]
        public PSCredential? Credential { get; set; }

        /// <summary>Registries: accept any server certificate (self-signed, expired, another host name).</summary>
        [Parameter(ParameterSetName = PathSet)]
        public SwitchParameter SkipCertificateCheck { get; set; }

        /// <summary>Registries: allow plain HTTP when HTTPS fails, for any registry (it is always allowed for loopback hosts and Docker's insecure-registries).</summary>
        [Parameter(ParameterSetName = PathSet)]
        public SwitchParameter AllowHttp { get; set; }

        /// <summary>True when the images come from registries over HTTP: -Reference without -Path.</summary>
        internal bool FromRegistry => ParameterSetName == PathSet && Path == null && Reference != null;

        private RemoteImages? _remote;

        internal RemoteImages Remote => _remote ??= new RemoteImages(this, Credential, SkipCertificateCheck, AllowHttp);
        /// <summary>Which images, by the one name rule (about_ImageTools, NAMES): a wildcard pattern, the name exactly as the store records it, a digest, a reference (base:1.0 and docker.io/library/base:1.0 are the same) or a repository alone (all its tags), an image ID or a unique prefix of 4+ hex digits. All images when omitted; a value no store matches writes ImageNotFound.</summary>
        [Parameter(Position = 1, ParameterSetName = PathSet)]
        [Parameter(Position = 1, ParameterSetName = LiteralPathSet)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(ImageNameCompleter))]
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
            if (FromRegistry)
            {
                foreach (var image in Remote.Select(Reference!)) yield return image;
                yield break;
            }
            var names = Reference == null ? Name : System.Linq.Enumerable.ToArray(System.Linq.Enumerable.Concat(Name ?? new string[0], Reference));
            var unmatched = new UnmatchedNames(names);
            foreach (var path in StorePaths())
            {
                var seen = new HashSet<Image>();
                foreach (var (image, _) in SelectImages(path, names, unmatched, Narrow))
                    if (seen.Add(image)) yield return image;
            }
            WriteUnmatched(unmatched);
        }
    }
}
