using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using ImageTools.Stores.Registry;

namespace ImageTools.Commands
{
    /// <summary>Completes repository names from the registry storage that -Path or -LiteralPath already names.</summary>
    public sealed class RegistryRepositoryCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var store = RegistryCompletion.Open(fakeBoundParameters);
            if (store == null) return Array.Empty<CompletionResult>();
            return RegistryCompletion.Results(store.RepositoryDirectories(_ => { }).Select(r => r.Name), wordToComplete);
        }
    }

    /// <summary>Completes tags from the registry storage that -Path names, in the repositories -Repository names.</summary>
    public sealed class RegistryTagCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var store = RegistryCompletion.Open(fakeBoundParameters);
            if (store == null) return Array.Empty<CompletionResult>();
            var repos = RegistryCompletion.Strings(fakeBoundParameters, "Repository");
            var tags = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var (name, dir) in store.RepositoryDirectories(_ => { }))
                if (RegistryCmdlet.Matches(name, repos))
                    foreach (var t in RegistryRepositoryContents.Load(name, dir, _ => { }).Tags) tags.Add(t.Name);
            return RegistryCompletion.Results(tags, wordToComplete);
        }
    }

    internal static class RegistryCompletion
    {
        public static RegistryStore? Open(IDictionary bound)
        {
            var path = Strings(bound, "LiteralPath")?.FirstOrDefault() ?? Strings(bound, "Path")?.FirstOrDefault();
            if (string.IsNullOrEmpty(path)) return null;
            try
            {
                using var ps = PowerShell.Create(RunspaceMode.CurrentRunspace);
                ps.AddCommand("Microsoft.PowerShell.Management\\Convert-Path").AddParameter("LiteralPath", path);
                var resolved = ps.Invoke().FirstOrDefault()?.BaseObject as string ?? path;
                return RegistryStore.Recognize(resolved!) ? new RegistryStore(resolved!) : null;
            }
            catch (Exception) { return null; }
        }

        public static string[]? Strings(IDictionary bound, string key)
        {
            if (!bound.Contains(key) || bound[key] == null) return null;
            var v = bound[key];
            if (v is PSObject pso) v = pso.BaseObject;
            if (v is string s) return new[] { s };
            if (v is IEnumerable e) return e.Cast<object>().Select(o => o?.ToString() ?? "").ToArray();
            return new[] { v!.ToString()! };
        }

        public static IEnumerable<CompletionResult> Results(IEnumerable<string> values, string word)
        {
            var pattern = new WildcardPattern((word ?? "").Trim('\'', '"') + "*", WildcardOptions.IgnoreCase);
            foreach (var v in values)
                if (pattern.IsMatch(v))
                    yield return new CompletionResult(v.Any(char.IsWhiteSpace) ? "'" + v + "'" : v, v, CompletionResultType.ParameterValue, v);
        }
    }
}
