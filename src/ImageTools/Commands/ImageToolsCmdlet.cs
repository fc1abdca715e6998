using System;
using System.Collections.Generic;
using System.Management.Automation;
using ImageTools.Graph;
using ImageTools.Stores;

namespace ImageTools.Commands
{
    /// <summary>Shared plumbing: error records, opening stores from -Path/-LiteralPath, store warnings.</summary>
    public abstract class ImageToolsCmdlet : PSCmdlet
    {
        /// <summary>The stores this command has opened, once each.</summary>
        internal OpenedStores Opened { get; } = new OpenedStores();

        private readonly HashSet<string> _reported = new HashSet<string>(StringComparer.Ordinal);

        /// <summary>Writes a non-terminating error for an expected failure, once per message (the same broken blob is
        /// often reached along several paths); rethrows anything unexpected.</summary>
        internal void WriteFailure(Exception e, object? target = null)
        {
            if (!ErrorRecords.IsExpected(e)) throw e;
            if (_reported.Add(e.Message)) WriteError(ErrorRecords.From(e, target));
        }

        /// <summary>
        /// The images -Name values select in the store at a provider path (all when <paramref name="names"/> is empty),
        /// recorded in <paramref name="unmatched"/>; none after writing an error when the store cannot be opened.
        /// </summary>
        internal IReadOnlyList<(Image Image, bool ByName)> SelectImages(string path, IReadOnlyList<string>? names, UnmatchedNames unmatched,
            Func<IImageStore, IImageStore?>? narrow = null)
        {
            var store = OpenStore(path);
            if (store != null && narrow != null) store = narrow(store);
            if (store == null) return Array.Empty<(Image, bool)>();
            var selection = ImageSelector.Select(store, names, e => WriteFailure(e, path));
            unmatched.Searched(store.Location, selection.Unmatched, names ?? Array.Empty<string>());
            return selection.Selected;
        }

        /// <summary>Writes an ImageNotFound error, naming the stores searched, for each -Name value no store matched.</summary>
        internal void WriteUnmatched(UnmatchedNames names)
        {
            foreach (var e in names.Errors()) WriteError(ErrorRecords.From(e, e.Target));
        }

        /// <summary>Writes a lower layer's problem as a non-terminating error naming what it is about.</summary>
        internal void Report(ImageToolsException e) => WriteFailure(e, e.Target);

        /// <summary>
        /// Provider paths for -Path (wildcards expanded) or -LiteralPath. A value that cannot be read (a pattern
        /// matching nothing, a missing path, a drive that does not exist, a provider other than FileSystem) is a
        /// non-terminating error naming it; the other values are still resolved.
        /// </summary>
        internal IEnumerable<string> ResolvePaths(string[]? paths, bool literal)
        {
            foreach (var p in paths ?? Array.Empty<string>())
            {
                var resolved = new List<string>();
                ProviderInfo? provider = null;
                try
                {
                    if (literal)
                        resolved.Add(SessionState.Path.GetUnresolvedProviderPathFromPSPath(p, out provider, out _));
                    else
                        resolved.AddRange(GetResolvedProviderPathFromPSPath(p, out provider));
                }
                catch (Exception e) when (e is ItemNotFoundException || e is DriveNotFoundException || e is ProviderNotFoundException
                                          || e is PSArgumentException || e is NotSupportedException)
                {
                    WriteError(ErrorRecords.Create(ErrorId.FileNotFound, $"Cannot read '{p}': {e.Message}", p));
                    continue;
                }
                if (provider != null && provider.ImplementingType != typeof(Microsoft.PowerShell.Commands.FileSystemProvider))
                {
                    WriteError(ErrorRecords.Create(ErrorId.FileNotFound,
                        $"Cannot read '{p}': it is on the {provider.Name} provider; ImageTools reads stores and files of the FileSystem provider only.", p));
                    continue;
                }
                foreach (var r in resolved) yield return r;
            }
        }

        /// <summary>What the listing pass of a compressed archive digests on the way (Test-ImageBlob: every blob in that one pass).</summary>
        internal virtual Content.Archives.EntryDigestMode ArchiveDigests => Content.Archives.EntryDigestMode.None;

        /// <summary>Opens (once per cmdlet run) the store at a provider path; null after writing an error.</summary>
        internal IImageStore? OpenStore(string providerPath)
        {
            try
            {
                var store = Opened.Open(providerPath, p => StoreFactory.Open(p, ArchiveDigests), out bool isNew);
                if (!isNew) return store;
                if (store is IStoreNotes notes) foreach (var note in notes.Notes) WriteWarning($"{store.Location}: {note}");
                foreach (var problem in store.Problems) WriteFailure(problem, providerPath);
                return store;
            }
            catch (Exception e) when (ErrorRecords.IsExpected(e))
            {
                WriteFailure(e, providerPath);
                return null;
            }
        }
    }
}
