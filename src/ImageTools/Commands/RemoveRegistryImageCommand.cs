using System.Management.Automation;
using ImageTools.Oci;
using ImageTools.Stores.RegistryHttp;

namespace ImageTools.Commands
{
    /// <summary>Deletes a manifest from a registry over HTTP (DELETE /v2/&lt;name&gt;/manifests/&lt;digest&gt;).</summary>
    /// <remarks>
    /// A reference by tag is first resolved to its digest (HEAD), then the manifest is deleted by digest, as the
    /// distribution API asks: every tag that points at that manifest goes with it. The blobs stay until the registry's
    /// garbage collection (Find-RegistryGarbage, Remove-RegistryGarbage on its storage, or docker-registry
    /// garbage-collect). docker-registry allows deletes only with storage.delete.enabled; otherwise the registry
    /// answers 405 and nothing is deleted. Asks for confirmation (ConfirmImpact High); -WhatIf shows what would go.
    /// </remarks>
    /// <example>
    /// <code>Remove-RegistryImage -Reference 10.10.10.250/library/calico/cni:v3.25.0 -Credential $cred</code>
    /// <para>Resolves the tag to its manifest and deletes that manifest, after confirmation.</para>
    /// </example>
    /// <example>
    /// <code>Get-RegistryTag -Uri registry.example.com -Repository team/app -Name 'pr-*' | Remove-RegistryImage -Confirm:$false -PassThru</code>
    /// <para>Deletes the manifests of every pr-* tag of a repository, and lists what was deleted.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Remove, "RegistryImage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(RemovedRegistryManifest))]
    public sealed class RemoveRegistryImageCommand : ImageToolsCmdlet
    {
        /// <summary>registry/repository:tag or registry/repository@sha256:…; taken from the Reference property of piped objects (Get-RegistryTag -Uri).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string[]? Reference { get; set; }

        /// <summary>The user name and password (or token) to log in with; without it, Docker's config.json (credHelpers, credsStore, auths), then anonymous.</summary>
        [Parameter]
        [Credential]
        public PSCredential? Credential { get; set; }

        /// <summary>Accept any server certificate (self-signed, expired, another host name).</summary>
        [Parameter]
        public SwitchParameter SkipCertificateCheck { get; set; }

        /// <summary>Allow plain HTTP when HTTPS fails, for any registry (always allowed for loopback hosts and Docker's insecure-registries).</summary>
        [Parameter]
        public SwitchParameter AllowHttp { get; set; }

        /// <summary>Write a record of each manifest deleted.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        private RemoteImages? _remote;

        protected override void ProcessRecord()
        {
            _remote ??= new RemoteImages(this, Credential, SkipCertificateCheck, AllowHttp);
            foreach (var text in Reference ?? new string[0])
            {
                if (!ImageReference.TryParse(text, out var reference, out var why) || reference!.IsNameOnly)
                {
                    WriteError(ErrorRecords.Create(ErrorId.InvalidReference, $"'{text}' does not name a manifest: {why ?? "give a tag or a digest"}.", text));
                    continue;
                }
                try
                {
                    var api = new RegistryApi(RegistryClient.For(reference.Domain, _remote.Options), reference.Path);
                    var digest = reference.Digest ?? RegistryListing.Resolve(api, reference.Tag!)?.Digest;
                    _remote.Flush();
                    if (digest == null)
                    {
                        WriteError(ErrorRecords.Create(ErrorId.ImageNotFound, $"The registry {api.Client.Host} has no manifest {reference.Path}:{reference.Tag}.", text));
                        continue;
                    }
                    string what = $"{reference.Domain}/{reference.Path}@{digest}";
                    if (!ShouldProcess(what, $"Delete the manifest{(reference.Tag != null ? $" tagged {reference.Tag} (every tag on it goes with it)" : "")}")) continue;
                    if (!new RegistryUpload(api).DeleteManifest(digest, default))
                        WriteError(ErrorRecords.Create(ErrorId.ImageNotFound, $"The registry {api.Client.Host} has no manifest {reference.Path}@{digest}.", text));
                    else if (PassThru) WriteObject(new RemovedRegistryManifest(reference.Domain, reference.Path, digest, text));
                }
                catch (System.Exception e) when (ErrorRecords.IsExpected(e)) { WriteFailure(e, text); }
                _remote.Flush();
            }
        }
    }
}
