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
    [Cmdlet(VerbsCommon.Get, "RegistryRepository", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(RegistryRepository))]
    public sealed class GetRegistryRepositoryCommand : RegistryCmdlet
    {
        /// <summary>Repository names to list, as stored (aiops/data-cleaning); wildcards allowed. All repositories when omitted.</summary>
        [Parameter(Position = 1)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(RegistryRepositoryCompleter))]
        public string[]? Name { get; set; }

        protected override void ProcessRecord()
        {
            foreach (var store in RegistriesFromPath())
            {
                var matched = new List<string>();
                var dirs = new List<(string Name, string Directory)>();
                foreach (var r in store.RepositoryDirectories(Report))
                    if (Matches(r.Name, Name)) dirs.Add(r);
                int i = 0;
                foreach (var (name, dir) in dirs)
                {
                    if (dirs.Count > 50 && i % 50 == 0)
                        WriteProgress(new ProgressRecord(1, "Get-RegistryRepository", $"{name} ({i} of {dirs.Count})") { PercentComplete = i * 100 / dirs.Count });
                    i++;
                    var contents = RegistryRepositoryContents.Load(name, dir, Report);
                    var repo = new RegistryRepository(store, contents) { Size = SizeOf(store, contents) };
                    matched.Add(name);
                    WriteObject(repo);
                }
                if (dirs.Count > 50) WriteProgress(new ProgressRecord(1, "Get-RegistryRepository", "Done") { RecordType = ProgressRecordType.Completed });
                ReportUnmatched(Name, matched, "repository", store.Location);
            }
        }

        private long SizeOf(RegistryStore store, RegistryRepositoryContents repo)
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
                catch (ImageToolsException e) { Report(new ImageToolsException(e.ErrorId, $"Repository {repo.Name}: {e.Message}", e.Target, e.Location, e)); continue; }
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
