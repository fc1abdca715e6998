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
    /// Only manifest and index blobs are read (and verified); other blobs are only stat'ed. A manifest that cannot
    /// be read gives an error naming its path; blobs only it refers to may then look unreferenced, so
    /// Remove-RegistryGarbage refuses to remove Blob candidates of an incomplete marking unless -Force is given.
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
                WriteProgress(new ProgressRecord(1, "Find-RegistryGarbage", $"Marking and sweeping {store.Location}"));
                var report = RegistryGarbageCollector.Find(store, new RegistryGarbageOptions { IncludeUntagged = IncludeUntagged, UploadAge = UploadAge }, Report);
                WriteProgress(new ProgressRecord(1, "Find-RegistryGarbage", "Done") { RecordType = ProgressRecordType.Completed });
                if (!report.MarkingComplete)
                    WriteWarning($"{store.Location}: marking is incomplete because these manifests could not be read: {string.Join(", ", report.UnreadManifests)}. " +
                                 "Blobs only they refer to are listed as unreferenced; Remove-RegistryGarbage will not remove Blob candidates without -Force.");
                foreach (var item in report.Items) WriteObject(item);
            }
        }
    }
}
