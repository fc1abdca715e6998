using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;

namespace ImageTools
{
    /// <summary>
    /// A list of plain strings (digests, names, platforms) on an output object. ConvertTo-Json and remoting see its
    /// items; Export-Csv, which writes a property's ToString(), sees them joined by commas instead of the type's name.
    /// </summary>
    public sealed class ValueList : ReadOnlyCollection<string>
    {
        public static readonly ValueList Empty = new ValueList(new string[0]);

        public ValueList(IList<string> items) : base(items) { }

        public static ValueList Of<T>(IEnumerable<T>? items) where T : class =>
            items == null ? Empty : new ValueList(items.Select(i => i.ToString()!).ToArray());

        public int Length => Count;

        public override string ToString() => string.Join(",", this);
    }

    /// <summary>
    /// Labels or annotations (key to value, ordered by key) on an output object. ConvertTo-Json and remoting see the
    /// keys and values; Export-Csv sees <c>key=value</c> pairs joined by commas, as <c>ctr</c> prints labels.
    /// </summary>
    public sealed class LabelSet : SortedDictionary<string, string>
    {
        public LabelSet() : base(System.StringComparer.Ordinal) { }

        public LabelSet(IEnumerable<KeyValuePair<string, string>>? labels) : base(System.StringComparer.Ordinal)
        {
            if (labels == null) return;
            foreach (var pair in labels) this[pair.Key] = pair.Value;
        }

        public override string ToString() => string.Join(",", this.Select(p => p.Key + "=" + p.Value));
    }
}
