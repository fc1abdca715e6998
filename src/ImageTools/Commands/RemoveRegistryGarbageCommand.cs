using System;
using System.Collections.Generic;
using System.Management.Automation;
using ImageTools.Stores.Registry;

namespace ImageTools.Commands
{
    /// <summary>Removes garbage from registry storage: the candidates Find-RegistryGarbage lists.</summary>
    /// <remarks>
    /// Takes RegistryGarbage objects from Find-RegistryGarbage, or the same parameters (-Path, -IncludeUntagged,
    /// -UploadAge) and finds them itself, then deletes each candidate's folder: a blob folder under blobs/ (and
    /// the two-character folder above it when that is left empty), a manifest revision link (and the tag
    /// history entries naming it, as the registry's own garbage collector does), a _layers link, or an upload
    /// folder. The fixed structure (blobs/sha256, _manifests/revisions/sha256, _layers/sha256, _uploads) is kept.
    /// As the registry's documentation says for its own garbage-collect, the registry MUST be stopped or in
    /// read-only mode while this runs: a push that lands between marking and removing can lose blobs it just
    /// uploaded. A manifest that a tag points at again is refused. Asks for confirmation for each item
    /// (ConfirmImpact High); use -WhatIf to see what would go, -Confirm:$false to go ahead. When marking could not
    /// read or trust everything (see Find-RegistryGarbage), nothing is removed and a GarbageMarkingIncomplete error
    /// names what could not be read; -Force removes anyway, still keeping everything a readable tag reaches and,
    /// in a repository with such a problem, every revision and _layers link. Nothing is deleted through a symlink.
    /// </remarks>
    /// <example>
    /// <code>Find-RegistryGarbage -Path /var/lib/docker-registry | Remove-RegistryGarbage -WhatIf</code>
    /// <para>Shows what would be removed, without removing anything.</para>
    /// </example>
    /// <example>
    /// <code>systemctl stop docker-registry; Remove-RegistryGarbage -Path /var/lib/docker-registry -IncludeUntagged -Confirm:$false; systemctl start docker-registry</code>
    /// <para>Stops the registry, removes unreferenced blobs, untagged manifests (keeping the children of tagged indexes), dangling links and week-old uploads, and starts it again.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Remove, "RegistryGarbage", DefaultParameterSetName = InputSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(RegistryGarbage))]
    public sealed class RemoveRegistryGarbageCommand : RegistryCmdlet
    {
        private const string InputSet = "InputObject";

        /// <summary>Candidates from Find-RegistryGarbage.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputSet)]
        public RegistryGarbage[]? InputObject { get; set; }

        /// <summary>With -Path: also remove manifests no tag points at (never the children of a tagged index).</summary>
        [Parameter(ParameterSetName = PathSet)]
        [Parameter(ParameterSetName = LiteralPathSet)]
        public SwitchParameter IncludeUntagged { get; set; }

        /// <summary>With -Path: how long ago an unfinished upload must have started to be removed; 7 days by default.</summary>
        [Parameter(ParameterSetName = PathSet)]
        [Parameter(ParameterSetName = LiteralPathSet)]
        public TimeSpan UploadAge { get; set; } = TimeSpan.FromHours(168);

        /// <summary>Remove candidates even when marking could not read or trust everything (for someone who has looked at what it could not read).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Write each removed candidate to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        private readonly HashSet<string> _refusedStores = new HashSet<string>(StringComparer.Ordinal);

        protected override void ProcessRecord()
        {
            if (ParameterSetName == InputSet)
            {
                foreach (var item in InputObject ?? new RegistryGarbage[0]) RemoveOne(item);
                return;
            }
            foreach (var store in RegistriesFromPath())
            {
                var report = RegistryGarbageCollector.Find(store, new RegistryGarbageOptions { IncludeUntagged = IncludeUntagged, UploadAge = UploadAge }, Report);
                if (!report.MarkingComplete && !Force)
                {
                    RefuseIncomplete(store.Location, report.Unread);
                    continue;
                }
                if (!report.MarkingComplete)
                    WriteWarning($"{store.Location}: marking is incomplete ({string.Join("; ", report.Unread)}); removing anyway (-Force).");
                int i = 0;
                var progress = new ProgressRecord(2, "Remove-RegistryGarbage", store.Location);
                foreach (var item in report.Items)
                {
                    if (report.Items.Count > 20 && i % 20 == 0)
                    {
                        progress.StatusDescription = item.Path;
                        progress.PercentComplete = i * 100 / report.Items.Count;
                        WriteProgress(progress);
                    }
                    i++;
                    RemoveOne(item);
                }
                if (report.Items.Count > 20) ProgressEnd.Complete(this, progress);
            }
        }

        private void RemoveOne(RegistryGarbage item)
        {
            if (!item.MarkingComplete && !Force)
            {
                if (_refusedStores.Contains(item.StorePath)) WriteVerbose($"Not removing {item}: marking of {item.StorePath} is incomplete.");
                else RefuseIncomplete(item.StorePath, item.Unread);
                return;
            }
            if (!ShouldProcess(item.Path, $"Remove {item.Kind} {item.Digest} ({item.Reason})")) return;
            try
            {
                RegistryGarbageRemover.Remove(item);
                if (PassThru) WriteObject(item);
            }
            catch (Exception e) when (ErrorRecords.IsExpected(e)) { WriteFailure(e, item.Path); }
        }

        private void RefuseIncomplete(string storePath, IEnumerable<string> unread)
        {
            _refusedStores.Add(storePath);
            WriteError(ErrorRecords.Create(ErrorId.GarbageMarkingIncomplete,
                $"Removing nothing from {storePath}: marking could not read or trust {string.Join("; ", unread)}, so what looks unreferenced may still be in use. " +
                "Fix or look at these (Find-RegistryGarbage reports each), then run again, or use -Force.", storePath));
        }
    }
}
