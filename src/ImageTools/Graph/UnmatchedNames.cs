using System.Collections.Generic;
using System.Linq;

namespace ImageTools.Graph
{
    /// <summary>Over several stores, a -Name value is not found only when no store has it.</summary>
    public sealed class UnmatchedNames
    {
        private readonly IReadOnlyList<string> _values;
        private readonly HashSet<string> _found = new HashSet<string>(System.StringComparer.Ordinal);
        private readonly List<string> _searched = new List<string>();

        public UnmatchedNames(IReadOnlyList<string>? values) { _values = values ?? new string[0]; }

        /// <summary>Records a store searched for <paramref name="asked"/> (all the values when null) and the values it did not match.</summary>
        public void Searched(string location, IEnumerable<string> unmatchedThere, IEnumerable<string>? asked = null)
        {
            _searched.Add(location);
            var missing = new HashSet<string>(unmatchedThere, System.StringComparer.Ordinal);
            foreach (var v in asked ?? _values) if (!missing.Contains(v)) _found.Add(v);
        }

        /// <summary>An ImageNotFound error for each value no store searched matched (none when no store could be searched).</summary>
        public IEnumerable<ImageToolsException> Errors() =>
            _searched.Count == 0 ? Enumerable.Empty<ImageToolsException>()
                : _values.Where(v => !_found.Contains(v)).Distinct().Select(v => ImageNameRule.NotFound(v, _searched));
    }
}
