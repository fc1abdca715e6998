using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using ImageTools.Export;
using ImageTools.Graph;
using ImageTools.Oci;
using ImageTools.Stores;

namespace ImageTools.Commands
{
    /// <summary>Shared by Save-Image and Copy-Image: collects images from -Path/-Name or the pipeline, then writes them once at the end.</summary>
    public abstract class SaveImageCommandBase : StoreCmdlet
    {
        protected const string ImageSet = "Image";

        private readonly List<SaveEntry> _entries = new List<SaveEntry>();
        private readonly List<(string Path, List<string> Names)> _byPath = new List<(string, List<string>)>();
        private readonly CancellationTokenSource _cancel = new CancellationTokenSource();

        /// <summary>
        /// What to save, as docker save names it: a repository alone saves all its tags, repository:tag saves that
        /// image with that tag, an image ID (or unique prefix) or digest saves the image without names. Wildcards
        /// match names; the name exactly as the store records it wins (about_ImageTools, NAMES). Everything in the store
        /// when omitted. A value that matches nothing in any store fails the whole save before anything is written, as
        /// docker save does. Takes the Reference property of piped objects (Get-ImageReference).
        /// Without -Path or -LiteralPath, each value (alias -Reference) is an image to pull from its registry over HTTP:
        /// host/repository:tag or host/repository@sha256:… (docker.io names from Docker Hub), every blob verified as it streams.
        /// </summary>
        [Parameter(Position = 1, ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(Position = 1, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("Reference")]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(ImageNameCompleter))]
        public string[]? Name { get; set; }

        /// <summary>Images from Get-Image, from any stores; an image with a name keeps it, one without is saved without.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ImageSet)]
        [ImageInputTransformation]
        public Image[]? Image { get; set; }

        /// <summary>Save only this platform of multi-platform images, os/architecture[/variant]; default linux/amd64, else the first.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(PlatformCompleter))]
        public string? Platform { get; set; }

        /// <summary>Save every platform of multi-platform images (the index is kept); manifest.json still names one platform per image.</summary>
        [Parameter]
        public SwitchParameter AllPlatforms { get; set; }

        /// <summary>Registries (-Reference without -Path): the user name and password (or token) to log in with; without it, Docker's config.json (credHelpers, credsStore, auths), then anonymous.</summary>
        [Parameter]
        [Credential]
        public PSCredential? Credential { get; set; }

        /// <summary>Registries: accept any server certificate (self-signed, expired, another host name).</summary>
        [Parameter]
        public SwitchParameter SkipCertificateCheck { get; set; }

        /// <summary>Registries: allow plain HTTP when HTTPS fails, for any registry (always allowed for loopback hosts and Docker's insecure-registries).</summary>
        [Parameter]
        public SwitchParameter AllowHttp { get; set; }

        /// <summary>Registries: how many blobs move at once, pulling (-Reference) or pushing (-DestinationReference).</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 4;

        private RemoteImages? _remote;

        /// <summary>
        /// Also write the artifacts attached to each image: signatures, SBOMs and attestations, as Get-ImageReferrer
        /// finds them in the source (fallback tag, cosign tags, manifests with subject), and what refers to those in
        /// turn (a signature of an SBOM, three levels). They are copied blob for blob;
        /// in the archive or layout, those with a subject are listed unnamed in index.json and cosign's keep their
        /// sha256-&lt;hex&gt;.sig/.att/.sbom tag, so Get-ImageReferrer lists them from the archive alone. A docker
        /// archive's manifest.json lists only the images. BuildKit attestation manifests are part of the image's index:
        /// they travel with -AllPlatforms; with one platform, its attestation manifest is kept and the root written is
        /// a new index of the two. From a registry over HTTP they are found through its referrers API, else
        /// its fallback tag, and cosign's tags. With Copy-Image -DestinationReference they are pushed after the image
        /// (and what refers to them, e.g. a signature of an SBOM), each listed at the destination by its referrers API
        /// (when it answers the push with OCI-Subject) or else by the fallback tag sha256-&lt;hex&gt; (its index read,
        /// extended once, pushed again), cosign's under their tag; each is read back by digest.
        /// </summary>
        [Parameter]
        public SwitchParameter IncludeReferrers { get; set; }

        /// <summary>Keep (default: layers as stored, digests identical to the source), None, Gzip or Zstd (layers re-encoded, their DiffIDs verified).</summary>
        [Parameter]
        public LayerCompression Compression { get; set; } = LayerCompression.Keep;

        protected abstract SaveFormat FormatToWrite { get; }
        protected abstract string DestinationArgument { get; }
        protected virtual bool Overwrite => false;
        protected virtual ArchiveCompression CompressionToWrite(string destination) => ArchiveCompression.None;

        protected override void ProcessRecord()
        {
            if (ParameterSetName == ImageSet)
            {
                foreach (var image in Image ?? new Image[0]) AddEntry(image, byName: true);
                return;
            }
            if (ParameterSetName == PathSet && Path == null && Name != null)
            {
                // -Reference (-Name) without a store: the images are in their registries
                foreach (var image in Remote.Select(Name)) AddEntry(image, byName: true);
                return;
            }
            foreach (var path in StorePaths())
            {
                var slot = _byPath.FirstOrDefault(p => p.Path == path);
                if (slot.Path == null) _byPath.Add(slot = (path, new List<string>()));
                if (Name != null) slot.Names.AddRange(Name);
            }
        }

        protected override void EndProcessing()
        {
            var unmatched = new UnmatchedNames(_byPath.SelectMany(p => p.Names).Distinct().ToList());
            foreach (var (path, names) in _byPath)
                foreach (var (image, byName) in SelectImages(path, names.Count == 0 ? null : names.Distinct().ToArray(), unmatched))
                    AddEntry(image, byName);
            // as docker save: a name that matches nothing fails the whole command, and nothing is written
            var missing = unmatched.Errors().ToList();
            foreach (var e in missing) WriteError(ErrorRecords.From(e, e.Target));
            if (missing.Count > 0 || _remote?.Failures > 0) return;
            if (_entries.Count == 0)
            {
                WriteError(ErrorRecords.Create(ErrorId.ImageNotFound, "There are no images to save.", DestinationArgument));
                return;
            }
            var options = Options();
            if (Write(_entries, options)) return;
            var conflict = SaveEntries.Deduplicate(_entries, options);
            if (conflict != null) ThrowTerminatingError(ErrorRecords.From(conflict, DestinationArgument));
            if (IncludeReferrers) _entries.AddRange(ReferrerEntries.For(_entries, options, e => WriteFailure(e, DestinationArgument)));
            Run(options);
        }

        private void AddEntry(Image image, bool byName)
        {
            var entry = _entries.FirstOrDefault(e => e.Store == image.Store && e.Root.Digest == image.Descriptor.Digest);
            if (entry == null) _entries.Add(entry = new SaveEntry(image.Store, image.Descriptor, image.ToString()) { SourceRepository = Referrers.ReferrerSources.RepositoryOf(image) });
            if (byName && image.FullName != null && ImageReference.TryParse(image.FullName, out var reference) && reference!.Tag != null)
                entry.AddName(reference);
        }

        /// <summary>A hook for a writer other than the archive and layout sinks (Copy-Image -DestinationReference); true when it wrote.</summary>
        internal virtual bool Write(IReadOnlyList<SaveEntry> entries, SaveOptions options) => false;

        /// <summary>The token that -Stop (Ctrl+C) cancels.</summary>
        internal CancellationToken Cancellation => _cancel.Token;

        /// <summary>The verbose messages and warnings of registry clients, written now.</summary>
        internal void FlushRegistryMessages() => _remote?.Flush();

        /// <summary>The registry options of this command (-Credential, -SkipCertificateCheck, -AllowHttp).</summary>
        internal RemoteImages Remote => _remote ??= new RemoteImages(this, Credential, SkipCertificateCheck, AllowHttp);

        private SaveOptions Options() => new SaveOptions
        {
            Format = FormatToWrite, AllPlatforms = AllPlatforms, Compression = Compression, Platform = LayerInput.ParsePlatform(this, Platform),
            IncludeReferrers = IncludeReferrers, Throttle = ThrottleLimit,
        };

        private void Run(SaveOptions options)
        {
            string destination = SessionState.Path.GetUnresolvedProviderPathFromPSPath(DestinationArgument);
            string what = string.Join(", ", _entries.Where(e => !e.IsReferrer).Select(e => e.Names.Count > 0 ? string.Join(", ", e.Names.Select(n => n.FamiliarName)) : e.Label));
            if (!ShouldProcess(destination, $"Save {_entries.Count} image(s) as {FormatToWrite}: {what}")) return;
            if (FormatToWrite != SaveFormat.OciLayout)
            {
                if (Directory.Exists(destination))
                    ThrowTerminatingError(ErrorRecords.Create(ErrorId.DestinationExists, $"{destination} is a folder; give a file path, or use -Format OciLayout.", destination));
                if (File.Exists(destination) && !Overwrite)
                    ThrowTerminatingError(ErrorRecords.Create(ErrorId.DestinationExists, $"{destination} already exists; use -Force to replace it.", destination));
            }
            try { SourceOverlap.Refuse(destination, _entries.Where(e => e.Store.Kind != StoreKind.RemoteRegistry).Select(e => e.Store.Location).Distinct()); }
            catch (ImageToolsException e) { ThrowTerminatingError(ErrorRecords.From(e, destination)); }

            try
            {
                using IBlobSink sink = FormatToWrite == SaveFormat.OciLayout ? new LayoutDirectorySink(destination) : new TarArchiveSink(destination, Overwrite, CompressionToWrite(destination));
                var state = new TransferProgress();
                var saver = new ImageSaver(options, sink, System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(destination)) ?? ".", _cancel.Token, state);
                var progress = new TransferProgressWriter(this, state, $"{MyInvocation.MyCommand.Name} {System.IO.Path.GetFileName(destination)}", "Copying blobs");
                var (images, archiveDigest) = progress.Run(() => saver.Save(_entries), FlushRegistryMessages);
                WriteObject(new SavedArchive
                {
                    Path = destination,
                    FormatValue = FormatToWrite,
                    ReferrerCount = images.Count(i => i.Entry.IsReferrer),
                    Images = images.Where(i => !i.Entry.IsReferrer).Select(i => new SavedImage
                    {
                        Names = new ValueList(i.Names.Select(n => n.FamiliarName).ToArray()),
                        Digest = i.Root.Digest.ToOutput(),
                        ManifestDigest = i.Manifest.Digest.ToOutput(),
                        ImageId = i.Config.Digest.ToOutput(),
                        Source = i.Entry.Store.Location,
                    }).ToArray(),
                    BlobCount = saver.BlobCount,
                    SkippedBlobCount = (sink as LayoutDirectorySink)?.SkippedBlobs ?? 0,
                    Size = sink.BytesWritten,
                    Digest = archiveDigest.ToOutputOrNull(),
                });
            }
            catch (OperationCanceledException) { }
            catch (Exception e) when (ErrorRecords.IsExpected(e))
            {
                FlushRegistryMessages();
                ThrowTerminatingError(ErrorRecords.From(WriteFailures.Describe(e, destination, "Writing"), destination));
            }
        }

        protected override void StopProcessing() => _cancel.Cancel();
    }
}
