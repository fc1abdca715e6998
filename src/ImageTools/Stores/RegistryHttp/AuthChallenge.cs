using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http.Headers;

namespace ImageTools.Stores.RegistryHttp
{
    /// <summary>One <c>WWW-Authenticate</c> challenge: a scheme (Basic, Bearer) and its parameters (realm, service, scope).</summary>
    public sealed class AuthChallenge
    {
        private AuthChallenge(string scheme, IReadOnlyDictionary<string, string> parameters)
        {
            Scheme = scheme;
            Parameters = parameters;
        }

        public string Scheme { get; }
        public IReadOnlyDictionary<string, string> Parameters { get; }

        public bool IsBearer => Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase);
        public bool IsBasic => Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase);

        public string? this[string name] => Parameters.TryGetValue(name, out var v) ? v : null;

        /// <summary>The challenges of a 401 answer, Bearer first (a registry may offer both).</summary>
        public static IReadOnlyList<AuthChallenge> From(HttpHeaderValueCollection<AuthenticationHeaderValue> headers) =>
            headers.Select(h => Parse(h.Scheme, h.Parameter)).OrderBy(c => c.IsBearer ? 0 : 1).ToList();

        /// <summary>Parses <c>key="value", key=value</c> pairs; quoted values may hold commas and escaped quotes.</summary>
        public static AuthChallenge Parse(string scheme, string? parameter)
        {
            var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            string s = parameter ?? "";
            int i = 0;
            while (i < s.Length)
            {
                while (i < s.Length && (s[i] == ' ' || s[i] == ',')) i++;
                int eq = s.IndexOf('=', i);
                if (eq < 0) break;
                string key = s.Substring(i, eq - i).Trim();
                i = eq + 1;
                var value = new System.Text.StringBuilder();
                if (i < s.Length && s[i] == '"')
                {
                    for (i++; i < s.Length && s[i] != '"'; i++)
                    {
                        if (s[i] == '\\' && i + 1 < s.Length) i++;
                        value.Append(s[i]);
                    }
                    i++;
                }
                else
                {
                    while (i < s.Length && s[i] != ',') value.Append(s[i++]);
                }
                if (key.Length > 0) map[key] = value.ToString().Trim();
            }
            return new AuthChallenge(scheme, map);
        }
    }
}
