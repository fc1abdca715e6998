using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using ImageTools.Stores;
using ImageTools.Stores.Containerd;
using ImageTools.Stores.Docker;

namespace ImageTools.Commands
{
    /// <summary>
    /// What a completer reads from the parameters already typed (PowerShell's fake bound parameters), and how it
    /// answers. A completer never throws: a missing or unreadable -Path gives no completions.
    /// </summary>
    internal static class CompletionInput
    {
        /// <summary>The values typed for a parameter, as strings; null when it is not given.</summary>
        public static string[]? Strings(IDictionary bound, string key)
        {
            if (!bound.Contains(key) || bound[key] == null) return null;
            var v = bound[key];
            if (v is PSObject pso) v = pso.BaseObject;
            if (v is string s) return new[] { s };
            if (v is IEnumerable e) return e.Cast<object>().Select(o => (o is PSObject p ? p.BaseObject : o)?.ToString() ?? "").ToArray();
            return new[] { v!.ToString()! };
        }

        /// <summary>The first -LiteralPath or -Path typed, resolved as the provider resolves it (relative to the current location); null when none.</summary>
        public static string? StorePath(IDictionary bound)
        {
            var path = Strings(bound, "LiteralPath")?.FirstOrDefault() ?? Strings(bound, "Path")?.FirstOrDefault();
            if (string.IsNullOrEmpty(path)) return null;
            try
            {
                using var ps = PowerShell.Create(RunspaceMode.CurrentRunspace);
                ps.AddCommand("Microsoft.PowerShell.Management\\Convert-Path").AddParameter("LiteralPath", path);
                return ps.Invoke().FirstOrDefault()?.BaseObject as string ?? path;
            }
            catch (Exception) { return path; }
        }

        /// <summary>The containerd metadata of the root -Path names, or null when it names none.</summary>
        public static ContainerdMetadata? Containerd(IDictionary bound)
        {
            var path = StorePath(bound);
            var root = path == null ? null : ContainerdRoot.TryResolve(path);
            return root == null ? null : ContainerdMetadata.Open(root);
        }

        /// <summary>The namespaces -Namespace selects in <paramref name="metadata"/> (all when not given).</summary>
        public static IReadOnlyList<string> Namespaces(ContainerdMetadata metadata, IDictionary bound) =>
            metadata.SelectNamespaces(Strings(bound, "Namespace"), ContainerdCmdlet.Matches, new List<string>());

        /// <summary>The store -Path names, narrowed to the -Namespace typed for a containerd root; null when none.</summary>
        public static IImageStore? Store(IDictionary bound)
        {
            var path = StorePath(bound);
            if (path == null) return null;
            var store = StoreFactory.Open(path);
            if (store is ContainerdStore containerd && Strings(bound, "Namespace") != null)
                store = containerd.ForNamespaces(Namespaces(containerd.Metadata, bound));
            return store;
        }

        /// <summary>The Docker data root -Path names, opened, or null when it names none (or one whose images containerd keeps).</summary>
        public static Stores.Docker.DockerRoot? DockerRootOf(IDictionary bound)
        {
            var path = StorePath(bound);
            if (path == null || !DockerRootStore.Recognize(path)) return null;
            var kind = Stores.Docker.DockerRoot.Examine(path);
            return kind.UsesContainerdImageStore ? null : Stores.Docker.DockerRoot.Open(kind);
        }

        /// <summary>Digests as <c>sha256:&lt;hex&gt;</c>, or their hex alone when the word typed starts with hex (an id typed as docker prints it).</summary>
        public static IEnumerable<string> DigestTexts(IEnumerable<string> digests, string word)
        {
            string typed = (word ?? "").Trim('\'', '"');
            bool hex = typed.Length > 0 && Uri.IsHexDigit(typed[0]);
            return hex ? digests.Select(d => d.Substring(d.IndexOf(':') + 1)) : digests;
        }

        /// <summary>Runs a completer's reading; anything it throws means no completions.</summary>
        public static IEnumerable<CompletionResult> Safely(Func<IEnumerable<string>?> values, string word)
        {
            try
            {
                var list = values()?.Where(v => !string.IsNullOrEmpty(v)).Distinct(StringComparer.Ordinal).OrderBy(v => v, StringComparer.Ordinal).ToList();
                return list == null ? Array.Empty<CompletionResult>() : Results(list, word).ToList();
            }
            catch (Exception) { return Array.Empty<CompletionResult>(); }
        }

        /// <summary>The values that start with the word typed (quotes removed), quoted where PowerShell needs it.</summary>
        public static IEnumerable<CompletionResult> Results(IEnumerable<string> values, string word)
        {
            string typed = (word ?? "").Trim('\'', '"');
            var pattern = WildcardPattern.ContainsWildcardCharacters(typed) ? new WildcardPattern(typed + "*", WildcardOptions.IgnoreCase) : null;
            foreach (var v in values)
                if (pattern?.IsMatch(v) ?? v.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
                    yield return new CompletionResult(NeedsQuotes(v) ? "'" + v.Replace("'", "''") + "'" : v, v, CompletionResultType.ParameterValue, v);
        }

        private static bool NeedsQuotes(string v) => v.Any(c => char.IsWhiteSpace(c) || "'\"`$,;(){}|&@#<>".IndexOf(c) >= 0);
    }
}
