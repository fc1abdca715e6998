using System.Collections;
using System.Collections.Generic;
using System.Text;

namespace ImageTools
{
    /// <summary>
    /// What the default views print: text read from a store (names, paths, labels) with its control characters
    /// written as <c>\xHH</c>, so that an ESC sequence in a ref.name cannot retitle the window or clear the screen.
    /// The properties themselves keep the text as stored.
    /// </summary>
    public static class DisplayText
    {
        /// <summary>A string escaped, a list with each string in it escaped; anything else (numbers, dates, digests) as it is.</summary>
        public static object? Escape(object? value)
        {
            switch (value)
            {
                case string s: return Escape(s);
                case null: return null;
                case IEnumerable list when !(value is IDictionary):
                    var items = new List<object?>();
                    foreach (var item in list) items.Add(item is string t ? Escape(t) : item);
                    return items.ToArray();
                default: return value;
            }
        }

        /// <summary>
        /// A date as the views print it, ISO 8601 in UTC to the second; also for a date that came back through remoting
        /// (a DateTimeOffset arrives as a property bag whose UtcDateTime is a DateTime).
        /// </summary>
        public static string? IsoDate(object? value)
        {
            var utc = AsUtc(value);
            return utc?.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        }

        /// <summary>A DateTimeOffset, a DateTime, or a deserialized DateTimeOffset (reflection-free: its text) as UTC.</summary>
        public static System.DateTime? AsUtc(object? value)
        {
            switch (value)
            {
                case null: return null;
                case System.DateTimeOffset o: return o.UtcDateTime;
                case System.DateTime d: return d.ToUniversalTime();
                default:
                    return System.DateTimeOffset.TryParse(value.ToString(), System.Globalization.CultureInfo.InvariantCulture,
                        System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed) ? parsed.UtcDateTime : (System.DateTime?)null;
            }
        }

        public static string Escape(string text)
        {
            int first = 0;
            while (first < text.Length && !char.IsControl(text[first])) first++;
            if (first == text.Length) return text;
            var sb = new StringBuilder(text.Length + 8).Append(text, 0, first);
            for (int i = first; i < text.Length; i++)
            {
                char c = text[i];
                if (!char.IsControl(c)) sb.Append(c);
                else sb.Append("\\x").Append(((int)c).ToString("x2"));
            }
            return sb.ToString();
        }
    }
}
