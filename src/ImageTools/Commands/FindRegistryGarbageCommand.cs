using System;
using System.Management.Automation;
using ImageTools.Stores.Registry;

namespace ImageTools.Commands
{
    /// <summary>Lists what a mark-and-sweep garbage collection of registry storage would remove, without removing anything.</summary>
    /// <remarks>
    /// Marks every manifest revision of every repository (with -IncludeUntagged: only those a tag points at) and
    /// everything they refer to, following image indexes and manifest lists down to their child manifests'
    /// configs and layers; then lists, as objects: Blob (a blob folder nothing marked refers to: "unreferenced"),
    /// Manifest (with -IncludeUntagged, a revision no tag points at: "untagged"; and revision links whose blob
    /// is missing: "dangling link"), LayerLink (a repository's _layers link to a blob that is missing or is
    /// itself garbage: "dangling link") and Upload (an unfinished upload under _uploads started at least
    /// -UploadAge ago: "stale upload", with its age).
    /// In plain mode the Blob candidates are exactly the blobs `docker-registry garbage-collect` would delete.
    /// Unlike registry 2.8.2's --delete-untagged, which deletes the untagged child manifests of a tagged
    /// multi-platform index and their configs and so breaks the index, -IncludeUntagged never lists the children
    /// of a tagged index: they belong to it. The registry itself leaves _layers links and uploads in place; they
    /// are listed here so Remove-RegistryGarbage can tidy them.
    /// Only manifest and index blobs are read (and verified); other blobs are only stat'ed. Anything marking cannot
    /// read or trust (a tag or revision link that is not a digest, a manifest or index that is missing, corrupt or
    /// malformed, a repository folder whose name is invalid, a FIFO where a link or data file should be, a symlink
    /// leading out of the storage) gives an error naming it, and then a GarbageMarkingIncomplete error listing
    /// them all: what only they refer to may look unreferenced, so Remove-RegistryGarbage removes nothing from an
    /// incompletely marked storage unless -Force is given. A repository with such a problem never lists untagged
    /// manifests or links, and symlinks are never followed out of the storage.
    /// </remarks>
    /// <example>
    /// <code>Find-RegistryGarbage -Path /var/lib/docker-registry | Group-Object Kind | Select-Object Name, Count, @{ n = 'Bytes'; e = { ($_.Group | Measure-Object Size -Sum).Sum } }</code>
    /// <para>What plain garbage collection would remove, with totals by kind (Blob, LayerLink, Upload) at the end.</para>
    /// </example>
    /// <example>
    /// <code>Find-RegistryGarbage -Path /srv/registry -IncludeUntagged | Where-Object Kind -eq Manifest</code>
    /// <para>The manifests no tag points at any more (for example the old manifest of a tag pushed again).</para>
    /// </example>
    [Cmdlet(VerbsCommon.Find, "RegistryGarbage", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(RegistryGarbage))]
    public sealed class FindRegistryGarbageCommand : RegistryCmdlet
    {
        /// <summary>Also list manifests that no tag points at (like garbage-collect --delete-untagged), but never the children of a tagged index.</summary>
        [Parameter]
        public SwitchParameter IncludeUntagged { get; set; }

        /// <summary>How long ago an unfinished upload must have started to be listed; 7 days (the registry's own upload purging age) by default.</summary>
        [Parameter]
        public TimeSpan UploadAge { get; set; } = TimeSpan.FromHours(168);

        protected override void ProcessRecord()
        {
            foreach (var store in RegistriesFromPath())
            {
                var progress = new ProgressRecord(1, "Find-RegistryGarbage", $"Marking and sweeping {store.Location}");
                WriteProgress(progress);
                var report = RegistryGarbageCollector.Find(store, new RegistryGarbageOptions { IncludeUntagged = IncludeUntagged, UploadAge = UploadAge }, Report);
                ProgressEnd.Complete(this, progress);
                if (!report.MarkingComplete)
                {
                    WriteError(ErrorRecords.Create(ErrorId.GarbageMarkingIncomplete,
                        $"{store.Location}: marking is incomplete; it could not read or trust: {string.Join("; ", report.Unread)}.", store.Location));
                    WriteWarning($"{store.Location}: marking is incomplete, so what only the unread things refer to is listed as garbage; " +
                                 "Remove-RegistryGarbage will remove nothing from this storage without -Force.");
                }
                foreach (var item in report.Items) WriteObject(item);
            }
        }
    }
}
