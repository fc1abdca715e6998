using System.Collections.Generic;
using System.Management.Automation;
using ImageTools.Oci;
using ImageTools.Stores.Registry;

namespace ImageTools.Commands
{
    /// <summary>Lists the repositories of a Docker registry's storage directory, with their tag, revision and layer-link counts and sizes.</summary>
    /// <remarks>
    /// Reads the filesystem storage of the distribution registry (docker-registry 2.x, registry:2):
    /// repositories/&lt;name&gt;/_manifests, _layers and _uploads under docker/registry/v2. -Path can be the
    /// registry's root directory, docker/registry/v2, or any folder between. Repositories are found as the
    /// registry's catalog finds them: every folder holding _manifests, however deeply nested (library/base,
    /// aiops/data-cleaning, org/team/app); other folders starting with '_' are not repositories.
    /// Size is the bytes of the distinct blobs the repository's manifests reach (manifests, index children,
    /// configs and layers), read from the manifests only: layer blobs are never opened. A link that is empty,
    /// too long or not a digest, a manifest blob that is missing or whose digest is wrong, and a folder whose
    /// name is not a valid repository name each give an error naming the path; the rest is listed.
    /// Nothing is written.
    /// </remarks>
    /// <example>
    /// <code>Get-RegistryRepository -Path /var/lib/docker-registry</code>
    /// <para>Lists every repository of the Debian docker-registry's storage.</para>
    /// </example>
    /// <example>
    /// <code>Get-RegistryRepository -Path /srv/registry/docker/registry/v2 -Name 'aiops/*' | Sort-Object Size -Descending</code>
    /// <para>The repositories of the aiops organisation, largest first.</para>
    /// </example>
    /// <example>
    /// <code>Get-RegistryRepository -Path /srv/registry | Get-RegistryTag</code>
    /// <para>Every tag of every repository.</para>
    /// </example>
    /// <example>
    /// <code>Get-RegistryRepository -Uri registry.example.com:5000 -Credential (Get-Credential) | Get-RegistryTag</code>
    /// <para>The catalog of a running registry over HTTPS (GET /v2/_catalog, every page), then the tags of each repository with their digests.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "RegistryRepository", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(RegistryRepository), ParameterSetName = new[] { PathSet, LiteralPathSet })]
    [OutputType(typeof(RemoteRepository), ParameterSetName = new[] { UriSet })]
    public sealed class GetRegistryRepositoryCommand : RegistryCmdlet
    {
        private const string UriSet = "Uri";

        /// <summary>A running registry to ask over HTTP for its catalog (GET /v2/_catalog, followed page by page): host[:port], with https:// (the default) or http:// (plain HTTP asked for).</summary>
        [Parameter(Mandatory = true, ParameterSetName = UriSet, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string[]? Uri { get; set; }

        /// <summary>With -Uri: the user name and password (or token) to log in with; without it, Docker's config.json, then anonymous.</summary>
        [Parameter(ParameterSetName = UriSet)]
        [Credential]
        public PSCredential? Credential { get; set; }

        /// <summary>With -Uri: accept any server certificate.</summary>
        [Parameter(ParameterSetName = UriSet)]
        public SwitchParameter SkipCertificateCheck { get; set; }

        /// <summary>With -Uri: allow plain HTTP when HTTPS fails, for any registry (always allowed for loopback hosts, Docker's insecure-registries and an http:// address).</summary>
        [Parameter(ParameterSetName = UriSet)]
        public SwitchParameter AllowHttp { get; set; }

        /// <summary>Repository names to list, as stored (aiops/data-cleaning); wildcards allowed. All repositories when omitted.</summary>
        [Parameter(Position = 1)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(RegistryRepositoryCompleter))]
        public string[]? Name { get; set; }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == UriSet)
            {
                WriteRemote();
                return;
            }
            foreach (var store in RegistriesFromPath())
            {
                var matched = new List<string>();
                var dirs = new List<(string Name, string Directory)>();
                foreach (var r in store.RepositoryDirectories(Report))
                    if (Matches(r.Name, Name)) dirs.Add(r);
                // repositories are read on background threads; objects and problems are written here, in order
                using var workers = new OrderedWorkers<(string Name, string Directory), Loaded>(dirs, d => Load(store, d.Name, d.Directory), OrderedWorkers<(string, string), Loaded>.DefaultWorkers);
                int i = 0;
                foreach (var loaded in workers.Results())
                {
                    string name = loaded.Contents.Name;
                    if (dirs.Count > 50 && i % 50 == 0)
                        WriteProgress(new ProgressRecord(1, "Get-RegistryRepository", $"{name} ({i} of {dirs.Count})") { PercentComplete = i * 100 / dirs.Count });
                    i++;
                    foreach (var problem in loaded.Problems) Report(problem);
                    matched.Add(name);
                    WriteObject(new RegistryRepository(store, loaded.Contents) { Size = loaded.Size });
                }
                if (dirs.Count > 50) ProgressEnd.Complete(this, new ProgressRecord(1, "Get-RegistryRepository", $"{dirs.Count} of {dirs.Count}"));
                ReportUnmatched(Name, matched, "repository", store.Location);
            }
        }

        private void WriteRemote()
        {
            var remote = new RemoteImages(this, Credential, SkipCertificateCheck, AllowHttp);
            foreach (var uri in Uri ?? new string[0])
            {
                if (!(remote.Registry(uri) is var (client, registry))) continue;
                var matched = new List<string>();
                try
                {
                    foreach (var name in Stores.RegistryHttp.RegistryListing.Repositories(client))
                    {
                        remote.Flush();
                        if (!Matches(name, Name)) continue;
                        matched.Add(name);
                        WriteObject(new RemoteRepository(uri, registry, name));
                    }
                    ReportUnmatched(Name, matched, "repository", registry);
                }
                catch (System.Exception e) when (ErrorRecords.IsExpected(e)) { WriteFailure(e, uri); }
                remote.Flush();
            }
        }

        /// <summary>A repository read on a worker thread, with the problems met on the way (reported on the cmdlet's thread).</summary>
        private sealed class Loaded
        {
            public Loaded(RegistryRepositoryContents contents, long size, List<ImageToolsException> problems)
            {
                Contents = contents;
                Size = size;
                Problems = problems;
            }

            public RegistryRepositoryContents Contents { get; }
            public long Size { get; }
            public List<ImageToolsException> Problems { get; }
        }

        private static Loaded Load(RegistryStore store, string name, string dir)
        {
            var problems = new List<ImageToolsException>();
            var contents = RegistryRepositoryContents.Load(name, dir, problems.Add, store.Layout.Room);
            return new Loaded(contents, SizeOf(store, contents, problems.Add), problems);
        }

        private static long SizeOf(RegistryStore store, RegistryRepositoryContents repo, System.Action<ImageToolsException> report)
        {
            var sizes = new Dictionary<Digest, long>();
            var stack = new Stack<Digest>();
            foreach (var r in repo.Revisions) stack.Push(r.Digest);
            var seen = new HashSet<Digest>();
            while (stack.Count > 0)
            {
                var d = stack.Pop();
                if (!seen.Add(d)) continue;
                RegistryManifest m;
                try { m = store.ReadManifest(d); }
                catch (ImageToolsException e) { report(new ImageToolsException(e.ErrorId, $"Repository {repo.Name}: {e.Message}", e.Target, e.Location, e)); continue; }
                sizes[d] = m.Size;
                foreach (var c in m.Children)
                {
                    if (RegistryManifest.IsManifestLike(c)) stack.Push(c.Digest);
                    else sizes[c.Digest] = c.Size;
                }
                foreach (var b in m.BlobDescriptors) sizes[b.Digest] = b.Size;
            }
            long total = 0;
            foreach (var s in sizes.Values) total += s;
            return total;
        }
    }
}
