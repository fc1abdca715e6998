using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using ImageTools.Graph;
using ImageTools.Stores.Registry;

namespace ImageTools.Commands
{
    /// <summary>Shared plumbing of the registry cmdlets: -Path/-LiteralPath naming registry storage.</summary>
    public abstract class RegistryCmdlet : StoreCmdlet
    {



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
            try
            {
                return Opened.Open(providerPath, p => new RegistryStore(p), out _);
            }
            catch (Exception e) when (ErrorRecords.IsExpected(e))
            {
                WriteFailure(e, providerPath);
                return null;
            }
        }

        /// <summary>True when no patterns are given, or one matches the value (PowerShell wildcards, case-insensitive).</summary>
        internal static bool Matches(string value, string[]? patterns) =>
            patterns == null || patterns.Length == 0 || patterns.Any(p => new Wildcard(p).IsMatch(value));

        /// <summary>An ImageNotFound error for each value (wildcard patterns too, as -Name on images) that matched none of <paramref name="values"/>.</summary>
        internal void ReportUnmatched(string[]? patterns, ICollection<string> values, string what, string where)
        {
            foreach (var p in patterns ?? new string[0])
                if (!values.Any(v => Matches(v, new[] { p })))
                    WriteError(ErrorRecords.Create(ErrorId.ImageNotFound, $"No {what} matches '{p}' in {where}.", p));
        }
    }
}
