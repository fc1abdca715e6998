using System.Management.Automation;

namespace ImageTools.Commands
{
    /// <summary>
    /// A path pattern inside an image, matched component by component: <c>*</c>, <c>?</c> and <c>[a-z]</c> stay
    /// within one component (<c>/etc/*.conf</c> does not match <c>/etc/a/b.conf</c>); a component <c>**</c> matches
    /// any number of components (<c>/usr/**/*.txt</c>).
    /// </summary>
    internal sealed class ImagePathPattern
    {
        private readonly string[] _parts;
        private readonly WildcardPattern?[] _patterns;

        public ImagePathPattern(string pattern)
        {
            _parts = pattern.Trim('/').Split(new[] { '/' }, System.StringSplitOptions.RemoveEmptyEntries);
            _patterns = new WildcardPattern?[_parts.Length];
            for (int i = 0; i < _parts.Length; i++)
                if (_parts[i] != "**") _patterns[i] = WildcardPattern.Get(_parts[i], WildcardOptions.CultureInvariant);
        }

        public bool IsMatch(string path)
        {
            var names = path.Trim('/').Split(new[] { '/' }, System.StringSplitOptions.RemoveEmptyEntries);
            return Match(names, 0, 0);
        }

        private bool Match(string[] names, int n, int p)
        {
            if (p == _parts.Length) return n == names.Length;
            if (_patterns[p] == null)
            {
                for (int skip = n; skip <= names.Length; skip++)
                    if (Match(names, skip, p + 1)) return true;
                return false;
            }
            return n < names.Length && _patterns[p]!.IsMatch(names[n]) && Match(names, n + 1, p + 1);
        }
    }
}
