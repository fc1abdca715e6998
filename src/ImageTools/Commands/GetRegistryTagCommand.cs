using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using ImageTools.Stores.Registry;

namespace ImageTools.Commands
{
    /// <summary>Lists the tags of registry storage: the manifest each points at now, and every manifest it has pointed at.</summary>
    /// <remarks>
    /// Reads _manifests/tags/&lt;tag&gt;/current/link (the digest the tag points at, what the registry's
    /// /v2/&lt;name&gt;/tags/list and manifest API answer) and _manifests/tags/&lt;tag&gt;/index (the history: every
    /// manifest the tag has pointed at, kept when a tag is pushed again; the current one is marked). MediaType is
    /// read from the current manifest blob. Takes repositories from -Path with -Repository, or from
    /// Get-RegistryRepository through the pipeline. Bad links and unreadable manifests give errors naming the
    /// path; the other tags are listed. Nothing is written.
    /// </remarks>
    /// <example>
    /// <code>Get-RegistryTag -Path /var/lib/docker-registry -Repository aiops/data-cleaning -Name zdgt | Select-Object -ExpandProperty History</code>
    /// <para>Every manifest aiops/data-cleaning:zdgt has pointed at, the current one marked: what an admin used to read from the index folder by hand.</para>
    /// </example>
    /// <example>
    /// <code>Get-RegistryRepository -Path /srv/registry -Name 'org/*' | Get-RegistryTag | Where-Object { $_.History.Count -gt 1 }</code>
    /// <para>The tags of the org namespace that have been overwritten at least once.</para>
    /// </example>
    /// <example>
    /// <code>Get-RegistryTag -Uri 10.10.10.250 -Repository library/calico/cni | Get-Image</code>
    /// <para>The tags of a repository in a running registry (GET /v2/&lt;name&gt;/tags/list, every page) with the digest each points at (HEAD), then each image in full.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "RegistryTag", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(RegistryTag), ParameterSetName = new[] { PathSet, LiteralPathSet, InputSet })]
    [OutputType(typeof(RemoteTag), ParameterSetName = new[] { UriSet })]
    public sealed class GetRegistryTagCommand : RegistryCmdlet
    {
        private const string InputSet = "InputObject";
        private const string UriSet = "Uri";

        /// <summary>A running registry to ask over HTTP (GET /v2/&lt;name&gt;/tags/list, then a HEAD per tag for its digest): host[:port], with https:// (the default) or http:// (plain HTTP asked for). Taken from Get-RegistryRepository -Uri through the pipeline.</summary>
        [Parameter(Mandatory = true, ParameterSetName = UriSet, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string? Uri { get; set; }

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

        /// <summary>Repositories from Get-RegistryRepository.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputSet)]
        public RegistryRepository[]? InputObject { get; set; }

        /// <summary>Repository names (as stored, e.g. aiops/data-cleaning); wildcards allowed. All repositories when omitted.</summary>
        [Parameter(Position = 1, ParameterSetName = PathSet)]
        [Parameter(Position = 1, ParameterSetName = LiteralPathSet)]
        [Parameter(Mandatory = true, ParameterSetName = UriSet, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(RegistryRepositoryCompleter))]
        public string[]? Repository { get; set; }

        /// <summary>Tags to list; wildcards allowed. All tags when omitted.</summary>
        [Parameter(Position = 2)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(RegistryTagCompleter))]
        public string[]? Name { get; set; }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == UriSet)
            {
                WriteRemoteTags();
                return;
            }
            if (ParameterSetName == InputSet)
            {
                foreach (var repo in InputObject ?? new RegistryRepository[0])
                    if (repo.Store is RegistryStore store) WriteTags(store, repo.Contents);
                return;
            }
            var where = new List<string>();
            foreach (var store in RegistriesFromPath())
            {
                where.Add(store.Location);
                var matched = new List<string>();
                foreach (var (name, dir) in store.RepositoryDirectories(Report))
                {
                    if (!Matches(name, Repository)) continue;
                    matched.Add(name);
                    WriteTags(store, RegistryRepositoryContents.Load(name, dir, Report, store.Layout.Room));
                }
                ReportUnmatched(Repository, matched, "repository", store.Location);
            }
            if (where.Count > 0) ReportUnmatched(Name, _tagsSeen, "tag", string.Join(", ", where));
        }

        private readonly List<string> _tagsSeen = new List<string>();
        private RemoteImages? _remote;

        private void WriteRemoteTags()
        {
            _remote ??= new RemoteImages(this, Credential, SkipCertificateCheck, AllowHttp);
            if (!(_remote.Registry(Uri!) is var (client, registry))) return;
            foreach (var repository in Repository ?? new string[0])
            {
                var api = new Stores.RegistryHttp.RegistryApi(client, repository);
                var matched = new List<string>();
                try
                {
                    foreach (var tag in Stores.RegistryHttp.RegistryListing.Tags(api))
                    {
                        if (!Matches(tag, Name)) continue;
                        matched.Add(tag);
                        if (!Oci.ImageReference.IsValidTag(tag))
                        {
                            // a tag is put into a URL: one with '/' or '..' would ask the registry for something else
                            WriteError(ErrorRecords.Create(ErrorId.InvalidReference,
                                $"The registry {registry} lists '{tag}' among the tags of {repository}; that is not a tag, and it is not asked for.", $"{registry}/{repository}:{tag}"));
                            continue;
                        }
                        var target = Stores.RegistryHttp.RegistryListing.Resolve(api, tag);
                        _remote.Flush();
                        if (target == null) continue; // deleted between the list and the HEAD
                        WriteObject(new RemoteTag(registry, repository, tag, target.Digest) { MediaType = target.MediaType, ManifestSize = target.Size });
                    }
                    ReportUnmatched(Name, matched, "tag", $"{registry}/{repository}");
                }
                catch (System.Exception e) when (ErrorRecords.IsExpected(e)) { WriteFailure(e, $"{registry}/{repository}"); }
                _remote.Flush();
            }
        }

        private void WriteTags(RegistryStore store, RegistryRepositoryContents repo)
        {
            foreach (var t in repo.Tags)
            {
                if (!Matches(t.Name, Name)) continue;
                _tagsSeen.Add(t.Name);
                var history = t.History.Select(h => new RegistryTagHistoryEntry(h.Digest, h.Digest == t.Current)).ToList();
                if (!history.Any(h => h.Current)) history.Add(new RegistryTagHistoryEntry(t.Current, true));
                var tag = new RegistryTag(store, repo.Name, t.Name, t.Current, history.ToArray(), t.Directory);
                try
                {
                    var m = store.ReadManifest(t.Current);
                    tag.MediaType = m.MediaType;
                    tag.ManifestSize = m.Size;
                }
                catch (ImageToolsException e) { Report(new ImageToolsException(e.ErrorId, $"Tag {repo.Name}:{t.Name}: {e.Message}", e.Target, e.Location, e)); }
                WriteObject(tag);
            }
        }
    }
}
