using System;
using System.Collections.Generic;
using System.Management.Automation;
using ImageTools.Stores.Registry;

namespace ImageTools.Commands
{
    /// <summary>Shared plumbing of the registry cmdlets: -Path/-LiteralPath naming registry storage.</summary>
    public abstract class RegistryCmdlet : StoreCmdlet
    {
        private readonly Dictionary<string, RegistryStore> _registries = new Dictionary<string, RegistryStore>(StringComparer.Ordinal);



        /// <summary>The registry stores -Path/-LiteralPath name; an error for each path that is not one.</summary>
        internal IEnumerable<RegistryStore> RegistriesFromPath()
        {
            foreach (var path in StorePaths())
            {
                var store = OpenRegistry(path);
                if (store != null) yield return store;
            }
        }

        internal RegistryStore? OpenRegistry(string providerPath)
        {
            if (_registries.TryGetValue(providerPath, out var cached)) return cached;
            try
            {
                var store = new RegistryStore(providerPath);
                _registries[providerPath] = store;
                return store;
            }
            catch (Exception e) when (ErrorRecords.IsExpected(e))
            {
                WriteFailure(e, providerPath);
                return null;
            }
        }

        internal static bool Matches(string value, string[]? patterns)
        {
            if (patterns == null || patterns.Length == 0) return true;
            foreach (var p in patterns)
                if (new WildcardPattern(p, WildcardOptions.IgnoreCase).IsMatch(value)) return true;
            return false;
        }

        /// <summary>Errors for plain (non-wildcard) patterns that matched nothing.</summary>
        internal void ReportUnmatched(string[]? patterns, ICollection<string> matchedValues, string what, string where)
        {
            if (patterns == null) return;
            foreach (var p in patterns)
            {
                if (WildcardPattern.ContainsWildcardCharacters(p)) continue;
                bool any = false;
                foreach (var v in matchedValues) if (string.Equals(v, p, StringComparison.OrdinalIgnoreCase)) { any = true; break; }
                if (!any) WriteError(ErrorRecords.Create(ErrorId.ImageNotFound, $"No {what} named '{p}' in {where}.", p));
            }
        }
    }
}
