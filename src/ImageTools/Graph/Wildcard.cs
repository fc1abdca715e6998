using System.Text;
using System.Text.RegularExpressions;

namespace ImageTools.Graph
{
    /// <summary>
    /// PowerShell's wildcard language (<c>*</c>, <c>?</c>, <c>[abc]</c>, <c>[a-c]</c>, backtick escapes), case-insensitive,
    /// without System.Management.Automation so the graph stays plain C#.
    /// </summary>
    public sealed class Wildcard
    {
        private readonly Regex _regex;

        public Wildcard(string pattern)
        {
            var sb = new StringBuilder("^");
            for (int i = 0; i < pattern.Length; i++)
            {
                char c = pattern[i];
                if (c == '`' && i + 1 < pattern.Length) { sb.Append(Regex.Escape(pattern[++i].ToString())); continue; }
                if (c == '*') { sb.Append(".*"); continue; }
                if (c == '?') { sb.Append('.'); continue; }
                if (c == '[')
                {
                    int close = pattern.IndexOf(']', i + 1);
                    if (close > i + 1)
                    {
                        sb.Append('[');
                        foreach (char m in pattern.Substring(i + 1, close - i - 1))
                            sb.Append(m == '-' ? "-" : Regex.Escape(m.ToString()));
                        sb.Append(']');
                        i = close;
                        continue;
                    }
                }
                sb.Append(Regex.Escape(c.ToString()));
            }
            _regex = new Regex(sb.Append('$').ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline);
        }

        public bool IsMatch(string? text) => text != null && _regex.IsMatch(text);

        /// <summary>True when the text has an unescaped <c>*</c>, <c>?</c> or <c>[</c>.</summary>
        public static bool HasWildcards(string? text)
        {
            if (text == null) return false;
            for (int i = 0; i < text.Length; i++)
            {
                if (text[i] == '`') { i++; continue; }
                if (text[i] == '*' || text[i] == '?' || text[i] == '[') return true;
            }
            return false;
        }
    }
}
