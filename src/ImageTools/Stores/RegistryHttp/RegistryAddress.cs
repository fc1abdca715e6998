using System;
using System.Text.RegularExpressions;

namespace ImageTools.Stores.RegistryHttp
{
    /// <summary>A registry as a user names it for -Uri: <c>host[:port]</c>, or with <c>https://</c> or <c>http://</c> (plain HTTP asked for).</summary>
    public static class RegistryAddress
    {
        private static readonly Regex HostPort = new Regex(@"^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?)(:[0-9]{1,5})?$", RegexOptions.CultureInvariant);

        public static (string Host, bool PlainHttp) Parse(string text)
        {
            string s = text.Trim();
            bool plain = false;
            if (s.StartsWith("https://", StringComparison.OrdinalIgnoreCase)) s = s.Substring(8);
            else if (s.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) { s = s.Substring(7); plain = true; }
            s = s.TrimEnd('/');
            if (s.EndsWith("/v2", StringComparison.Ordinal)) s = s.Substring(0, s.Length - 3);
            if (!HostPort.IsMatch(s))
                throw new ImageToolsException(ErrorId.InvalidReference, $"'{text}' is not a registry address: give host[:port], optionally with https:// or http://.", text);
            return (s.ToLowerInvariant(), plain);
        }
    }
}
