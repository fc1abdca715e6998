using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace ImageTools.Stores.RegistryHttp
{
    /// <summary>
    /// Answers a registry's challenge (distribution's token auth): Basic with the credentials, or a Bearer token
    /// fetched from the realm for the service and scope (anonymously, with the credentials, or by refresh token),
    /// kept per scope until shortly before it expires.
    /// </summary>
    internal sealed class RegistryAuthenticator
    {
        private static readonly TimeSpan DefaultTokenLife = TimeSpan.FromSeconds(60);
        private static readonly TimeSpan Margin = TimeSpan.FromSeconds(10);

        private readonly HttpClient _http;
        private readonly Uri _registry;
        private readonly RegistryCredential? _credential;
        private readonly ConcurrentDictionary<string, (AuthenticationHeaderValue Header, DateTimeOffset Expires)> _tokens =
            new ConcurrentDictionary<string, (AuthenticationHeaderValue, DateTimeOffset)>(StringComparer.Ordinal);
        private AuthChallenge? _bearer;
        private AuthenticationHeaderValue? _basic;

        public RegistryAuthenticator(HttpClient http, Uri registry, RegistryCredential? credential)
        {
            _http = http;
            _registry = registry;
            _credential = credential;
        }

        public RegistryCredential? Credential => _credential;

        /// <summary>The header to send for a scope without asking again, when one is known.</summary>
        public AuthenticationHeaderValue? Known(string scope)
        {
            if (_basic != null) return _basic;
            if (_tokens.TryGetValue(scope, out var t) && t.Expires > DateTimeOffset.UtcNow) return t.Header;
            return null;
        }

        /// <summary>A header answering the 401's challenges for a scope; null when there is nothing to answer with (Basic without credentials).</summary>
        public async Task<AuthenticationHeaderValue?> Answer(IReadOnlyList<AuthChallenge> challenges, string scope, CancellationToken cancel)
        {
            var bearer = challenges.FirstOrDefault(c => c.IsBearer);
            if (bearer != null)
            {
                _bearer = bearer;
                return await Token(bearer, scope, cancel).ConfigureAwait(false);
            }
            if (challenges.Any(c => c.IsBasic) && _credential != null && !_credential.IsIdentityToken)
                return _basic = BasicHeader(_credential);
            return null;
        }

        private static AuthenticationHeaderValue BasicHeader(RegistryCredential c) =>
            new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(c.UserName + ":" + c.Password)));

        private async Task<AuthenticationHeaderValue> Token(AuthChallenge challenge, string scope, CancellationToken cancel)
        {
            string realmText = challenge["realm"] ?? throw Refused(scope, "its Bearer challenge names no realm", null);
            if (!Uri.TryCreate(realmText, UriKind.Absolute, out var realm) || (realm.Scheme != "https" && realm.Scheme != "http"))
                throw Refused(scope, $"its token realm '{realmText}' is not an http(s) address", null);
            // a token server on another host gets the credentials only over TLS
            if (realm.Scheme != "https" && !string.Equals(realm.Host, _registry.Host, StringComparison.OrdinalIgnoreCase))
                throw Refused(scope, $"its token realm {realm} is plain HTTP on another host than the registry; ImageTools follows such a realm only over HTTPS", null);
            string service = challenge["service"] ?? "";
            string key = realm + " " + service + " " + scope;
            if (_tokens.TryGetValue(key, out var cached) && cached.Expires > DateTimeOffset.UtcNow) return cached.Header;

            using var request = TokenRequest(realm, service, scope);
            using var response = await _http.SendAsync(request, cancel).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.Unauthorized || response.StatusCode == HttpStatusCode.Forbidden)
                throw Refused(scope, $"its token server {realm.GetLeftPart(UriPartial.Path)} answered {(int)response.StatusCode} {response.ReasonPhrase} " +
                    (_credential == null ? "to an anonymous request" : $"for the user '{_credential.UserName}'"), null);
            if (!response.IsSuccessStatusCode)
                throw new ImageToolsException(ErrorId.RegistryUnavailable,
                    $"The token server {realm.GetLeftPart(UriPartial.Path)} of {_registry.Authority} answered {(int)response.StatusCode} {response.ReasonPhrase} for the scope '{scope}'.",
                    scope, _registry.Authority);
            var (token, life) = ParseToken(body, realm);
            var header = new AuthenticationHeaderValue("Bearer", token);
            var expires = DateTimeOffset.UtcNow + life - Margin;
            _tokens[key] = (header, expires);
            _tokens[scope] = (header, expires);
            return header;
        }

        private HttpRequestMessage TokenRequest(Uri realm, string service, string scope)
        {
            if (_credential != null && _credential.IsIdentityToken)
            {
                // the OAuth2 refresh-token grant, as docker does with an identity token
                var form = new List<KeyValuePair<string, string>>
                {
                    new KeyValuePair<string, string>("grant_type", "refresh_token"),
                    new KeyValuePair<string, string>("refresh_token", _credential.Password),
                    new KeyValuePair<string, string>("service", service),
                    new KeyValuePair<string, string>("client_id", "imagetools"),
                };
                if (scope.Length > 0) form.Add(new KeyValuePair<string, string>("scope", scope));
                return new HttpRequestMessage(HttpMethod.Post, realm) { Content = new FormUrlEncodedContent(form) };
            }
            var query = new StringBuilder(realm.Query.Length > 1 ? realm.Query.Substring(1) + "&" : "");
            query.Append("service=").Append(Uri.EscapeDataString(service));
            // one scope parameter per scope, as docker sends them (a mount asks for two repositories)
            foreach (var one in scope.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries))
                query.Append("&scope=").Append(Uri.EscapeDataString(one));
            var uri = new UriBuilder(realm) { Query = query.ToString() }.Uri;
            var get = new HttpRequestMessage(HttpMethod.Get, uri);
            if (_credential != null) get.Headers.Authorization = BasicHeader(_credential);
            return get;
        }

        private (string Token, TimeSpan Life) ParseToken(byte[] body, Uri realm)
        {
            try
            {
                using var doc = JsonDocument.Parse(body);
                var root = doc.RootElement;
                string? token = null;
                if (root.TryGetProperty("token", out var t) && t.ValueKind == JsonValueKind.String) token = t.GetString();
                if (string.IsNullOrEmpty(token) && root.TryGetProperty("access_token", out var a) && a.ValueKind == JsonValueKind.String) token = a.GetString();
                if (string.IsNullOrEmpty(token)) throw new JsonException("no token or access_token");
                var life = DefaultTokenLife;
                if (root.TryGetProperty("expires_in", out var e) && e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out int seconds) && seconds >= 60)
                    life = TimeSpan.FromSeconds(seconds);
                return (token!, life);
            }
            catch (JsonException e)
            {
                throw new ImageToolsException(ErrorId.RegistryUnavailable,
                    $"The token server {realm.GetLeftPart(UriPartial.Path)} of {_registry.Authority} answered something that is not a token: {e.Message}",
                    realm.ToString(), _registry.Authority, e);
            }
        }

        /// <summary>The error for a registry or token server that says no: which registry, which scope, why.</summary>
        public ImageToolsException Refused(string scope, string why, HttpStatusCode? status) =>
            new ImageToolsException(ErrorId.RegistryAccessDenied,
                $"The registry {_registry.Authority} refused access to '{scope}'{(status == null ? "" : $" ({(int)status} {status})")}: {why}.",
                scope, _registry.Authority);
    }
}
