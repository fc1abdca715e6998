using System;
using System.Collections.Generic;
using System.Management.Automation;
using ImageTools.Stores.Containerd;

namespace ImageTools.Commands
{
    /// <summary>Shared plumbing of the Get-Containerd* cmdlets: -Path/-LiteralPath to a containerd root, -Namespace, error records.</summary>
    public abstract class ContainerdCmdlet : StoreCmdlet
    {



        /// <summary>The roots -Path/-LiteralPath name, read once each; an error for each path that is not a readable containerd root.</summary>
        internal IEnumerable<ContainerdMetadata> Roots()
        {
            foreach (var path in StorePaths())
            {
                ContainerdMetadata? metadata = null;
                var progress = new ProgressRecord(1, "Reading containerd metadata", path);
                WriteProgress(progress);
                try
                {
                    metadata = Opened.Open(path, p => ContainerdMetadata.Open(ContainerdRoot.Resolve(p)), out _);
                }
                catch (Exception e) when (ErrorRecords.IsExpected(e))
                {
                    WriteFailure(e, path);
                }
                ProgressEnd.Complete(this, progress);
                if (metadata != null) yield return metadata;
            }
        }

        /// <summary>
        /// Runs <paramref name="read"/> for each root; damage met while reading one (a bolt page that does not decode,
        /// MetadataCorrupt) is a non-terminating error naming that root, and the next root is read.
        /// </summary>
        internal void ForEachRoot(Action<ContainerdMetadata> read)
        {
            foreach (var metadata in Roots())
            {
                try
                {
                    read(metadata);
                    foreach (var problem in metadata.NamespaceProblems) WriteFailure(problem, problem.Target);
                }
                catch (Exception e) when (ErrorRecords.IsExpected(e))
                {
                    WriteFailure(e, metadata.Root.MetadataPath);
                }
            }
        }

        /// <summary>The namespaces of <paramref name="metadata"/> that <paramref name="patterns"/> select (all when none); an error for each pattern that matches none.</summary>
        internal IReadOnlyList<string> SelectNamespaces(ContainerdMetadata metadata, string[]? patterns)
        {
            var unmatched = new List<string>();
            var result = metadata.SelectNamespaces(patterns, Matches, unmatched);
            foreach (var p in unmatched)
                WriteError(ErrorRecords.Create(ErrorId.NamespaceNotFound,
                    $"No namespace of the containerd root {metadata.Root.RootPath} matches '{p}'. Namespaces: {string.Join(", ", metadata.NamespaceNames())}.", p));
            return result;
        }

        /// <summary>Wildcard (or exact) match.</summary>
        internal static bool Matches(string pattern, string value) =>
            WildcardPattern.ContainsWildcardCharacters(pattern)
                ? new WildcardPattern(pattern, WildcardOptions.IgnoreCase).IsMatch(value)
                : string.Equals(pattern, value, StringComparison.Ordinal);

        internal static bool MatchesAny(string[]? patterns, string? value)
        {
            if (patterns == null || patterns.Length == 0) return true;
            if (value == null) return false;
            foreach (var p in patterns) if (Matches(p, value)) return true;
            return false;
        }
    }
}
