using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace ImageTools.Stores.RegistryHttp
{
    /// <summary>
    /// One registry host over HTTP: chooses HTTPS (or plain HTTP where docker would), answers auth challenges, retries
    /// 408/429/5xx and dropped connections with backoff and Retry-After, and reports Docker Hub's rate limits. The
    /// distribution API calls (manifests, blobs, tags) are in <see cref="RegistryApi"/>; this class only sends.
    /// </summary>
    public sealed class RegistryClient
    {
        /// <summary>Docker Hub's API host: <c>docker.io</c> names are fetched from there, as docker does.</summary>
        public const string DockerHubHost = "registry-1.docker.io";

        private static readonly ConcurrentDictionary<string, RegistryClient> Clients = new ConcurrentDictionary<string, RegistryClient>(StringComparer.Ordinal);

        private readonly HttpClient _http;
        private readonly RegistryAuthenticator _auth;
        private readonly bool _plainAllowed;
        private Uri? _base;
        private int _rateWarned;
        private volatile string? _certificateRefused;

        private RegistryClient(string host, RegistryOptions options)
        {
            Host = host;
            Options = options;
            var handler = new HttpClientHandler
            {
                AllowAutoRedirect = true, // blob redirects to storage; .NET drops Authorization on redirect and refuses https -> http
                AutomaticDecompression = DecompressionMethods.None,
                ServerCertificateCustomValidationCallback = (_, cert, _, errors) =>
                {
                    if (RegistryTls.Accept(cert, errors, host, options)) return true;
                    _certificateRefused = $"{errors} for {cert?.Subject}";
                    return false;
                },
            };
            // client certificates of certs.d/<host[:port]>/ (*.cert + *.key), for registries that require them
            var clientCertificates = RegistryTls.ClientCertificates(host, options.Docker);
            if (clientCertificates.Count > 0)
            {
                handler.ClientCertificateOptions = ClientCertificateOption.Manual;
                handler.ClientCertificates.AddRange(clientCertificates);
            }
            _http = new HttpClient(handler) { Timeout = TimeSpan.FromMinutes(5) };
            _http.DefaultRequestHeaders.UserAgent.ParseAdd("ImageTools/1.0");
            _plainAllowed = options.AllowPlainHttp || PlainHttpRule.Allows(host, options.Docker);
            _auth = new RegistryAuthenticator(_http, new Uri("https://" + host + "/"), options.Credential ?? DockerCredentials.For(host, options.Docker));
        }

        /// <summary>The client for a registry host (<c>docker.io</c> is Docker Hub), shared by commands with the same options so tokens and connections are reused.</summary>
        public static RegistryClient For(string registry, RegistryOptions options)
        {
            string host = registry == Oci.ImageReference.DefaultDomain || registry == "index.docker.io" ? DockerHubHost : registry;
            string key = string.Join("\n", host, options.Credential?.UserName, options.Credential?.Password, options.SkipCertificateCheck, options.AllowPlainHttp,
                options.Docker.CertsDirectory, options.Docker.ConfigDirectory, options.MaxAttempts);
            var client = Clients.GetOrAdd(key, _ => new RegistryClient(host, options));
            client.Options.Verbose = options.Verbose;
            client.Options.Warning = options.Warning;
            return client;
        }

        /// <summary>host[:port] as the registry is reached.</summary>
        public string Host { get; }

        internal RegistryOptions Options { get; }

        /// <summary>The scheme in use (https until plain HTTP has been chosen), for messages.</summary>
        internal string Scheme => _base?.Scheme ?? "https";

        /// <summary>The registry's base address, https:// or (where allowed and HTTPS fails) http://.</summary>
        public async Task<Uri> BaseAsync(CancellationToken cancel)
        {
            if (_base != null) return _base;
            var https = new Uri("https://" + Host + "/");
            if (!_plainAllowed) return _base = https;
            _certificateRefused = null;
            try
            {
                using var ping = await _http.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(https, "v2/")), cancel).ConfigureAwait(false);
                return _base = https;
            }
            catch (HttpRequestException e)
            {
                // a server that speaks TLS with a certificate we refuse is not one to talk to in plain text
                if (_certificateRefused != null) throw CertificateRefused(e);
                Options.Verbose?.Invoke($"{Host}: HTTPS failed; using plain HTTP (loopback, an insecure registry of daemon.json, or -AllowHttp).");
                return _base = new Uri("http://" + Host + "/");
            }
        }

        /// <summary>
        /// Sends a request (made afresh for each attempt) with the authorization the scope needs. The answer is
        /// returned whatever its status, except 401/403 (<see cref="ErrorId.RegistryAccessDenied"/>) and, after the
        /// last attempt, 408/429/5xx or a dropped connection (<see cref="ErrorId.RegistryUnavailable"/>).
        /// <paramref name="attempts"/> below the options' own is for a caller that must learn the registry's state
        /// before sending again (a chunk of an upload).
        /// </summary>
        public async Task<HttpResponseMessage> SendAsync(Func<Uri, HttpRequestMessage> make, string scope, CancellationToken cancel,
            HttpCompletionOption completion = HttpCompletionOption.ResponseHeadersRead, int? attempts = null)
        {
            int maxAttempts = Math.Min(attempts ?? Options.MaxAttempts, Options.MaxAttempts);
            var baseUri = await BaseAsync(cancel).ConfigureAwait(false);
            var header = _auth.Known(scope);
            bool answered = false;
            for (int attempt = 1; ; attempt++)
            {
                HttpResponseMessage response;
                var request = make(baseUri);
                // credentials go to the registry itself only, never to a host an upload Location names
                if (header != null && SameAuthority(request.RequestUri, baseUri)) request.Headers.Authorization = header;
                try { response = await _http.SendAsync(request, completion, cancel).ConfigureAwait(false); }
                catch (Exception e) when (OwnFailure(e) is ImageToolsException own)
                {
                    // the request body failed its own check (a source blob with a wrong digest): no retry helps
                    request.Dispose();
                    throw own;
                }
                catch (Exception e) when ((e is HttpRequestException || e is IOException || (e is TaskCanceledException && !cancel.IsCancellationRequested)))
                {
                    request.Dispose();
                    if (_certificateRefused != null && baseUri.Scheme == "https") throw CertificateRefused(e);
                    if (attempt >= maxAttempts)
                        throw new ImageToolsException(ErrorId.RegistryUnavailable,
                            $"The registry {Host} could not be reached for {request.Method} {request.RequestUri?.AbsolutePath} after {attempt} attempts: {Innermost(e)}",
                            request.RequestUri?.ToString(), Host, e);
                    await Wait(attempt, null, $"{request.Method} {request.RequestUri?.AbsolutePath}: {Innermost(e)}", cancel).ConfigureAwait(false);
                    continue;
                }
                ReportRateLimit(response);
                if (response.StatusCode == HttpStatusCode.Unauthorized && !answered)
                {
                    answered = true;
                    var challenges = AuthChallenge.From(response.Headers.WwwAuthenticate);
                    response.Dispose();
                    header = await _auth.Answer(challenges, scope, cancel).ConfigureAwait(false);
                    if (header == null)
                        throw _auth.Refused(scope, _auth.Credential == null ? "it asks for credentials (give -Credential, or docker login)" : "its challenge cannot be answered", HttpStatusCode.Unauthorized);
                    attempt--;
                    continue;
                }
                if (response.StatusCode == HttpStatusCode.Unauthorized || response.StatusCode == HttpStatusCode.Forbidden)
                {
                    var status = response.StatusCode;
                    string body = await ErrorText(response).ConfigureAwait(false);
                    throw _auth.Refused(scope, (_auth.Credential == null ? "anonymous access is not allowed" : $"the user '{_auth.Credential.UserName}' is not allowed") + body, status);
                }
                if (RetryPolicy.IsRetryable(response.StatusCode) && attempt < maxAttempts)
                {
                    string what = $"{request.Method} {request.RequestUri?.AbsolutePath} answered {(int)response.StatusCode}";
                    var wait = RetryPolicy.Delay(attempt, response, Options.MaxRetryDelay);
                    response.Dispose();
                    Options.Verbose?.Invoke($"{Host}: {what}; attempt {attempt + 1} of {maxAttempts} in {wait.TotalSeconds:0.###} s.");
                    await Task.Delay(wait, cancel).ConfigureAwait(false);
                    continue;
                }
                if (RetryPolicy.IsRetryable(response.StatusCode))
                {
                    string body = await ErrorText(response).ConfigureAwait(false);
                    response.Dispose();
                    throw new ImageToolsException(ErrorId.RegistryUnavailable,
                        $"The registry {Host} answered {(int)response.StatusCode} {response.ReasonPhrase} to {request.Method} {request.RequestUri?.AbsolutePath} {attempt} times{body}.",
                        request.RequestUri?.ToString(), Host);
                }
                return response;
            }
        }

        private static bool SameAuthority(Uri? request, Uri registry) =>
            request == null || !request.IsAbsoluteUri || string.Equals(request.Authority, registry.Authority, StringComparison.OrdinalIgnoreCase);

        private ImageToolsException CertificateRefused(Exception e) =>
            new ImageToolsException(ErrorId.RegistryUnavailable,
                $"The certificate of the registry {Host} is not trusted ({_certificateRefused}): put its CA in {System.IO.Path.Combine(Options.Docker.CertsDirectory, Host, "ca.crt")} as for docker, or use -SkipCertificateCheck.",
                Host, Host, e);

        private async Task Wait(int attempt, HttpResponseMessage? response, string what, CancellationToken cancel)
        {
            var wait = RetryPolicy.Delay(attempt, response, Options.MaxRetryDelay);
            Options.Verbose?.Invoke($"{Host}: {what}; attempt {attempt + 1} of {Options.MaxAttempts} in {wait.TotalSeconds:0.###} s.");
            await Task.Delay(wait, cancel).ConfigureAwait(false);
        }

        private static ImageToolsException? OwnFailure(Exception e)
        {
            for (Exception? x = e; x != null; x = x.InnerException)
                if (x is ImageToolsException own) return own;
            return null;
        }

        private static string Innermost(Exception e)
        {
            while (e.InnerException != null) e = e.InnerException;
            return e.Message;
        }

        /// <summary>The registry's own words (its JSON errors, cut short) for a message.</summary>
        internal static async Task<string> ErrorText(HttpResponseMessage response)
        {
            try
            {
                var text = (await response.Content.ReadAsStringAsync().ConfigureAwait(false)).Trim();
                if (text.Length == 0) return "";
                return " (" + (text.Length > 300 ? text.Substring(0, 300) + "…" : text) + ")";
            }
            catch (Exception e) when (e is HttpRequestException || e is IOException) { return ""; }
        }

        /// <summary>Docker Hub's <c>RateLimit-Limit</c>/<c>RateLimit-Remaining</c> (e.g. <c>100;w=21600</c>): verbose, and one warning when under a tenth is left.</summary>
        private void ReportRateLimit(HttpResponseMessage response)
        {
            if (!response.Headers.TryGetValues("RateLimit-Remaining", out var remainingValues)) return;
            response.Headers.TryGetValues("RateLimit-Limit", out var limitValues);
            long? remaining = FirstNumber(remainingValues?.FirstOrDefault());
            long? limit = FirstNumber(limitValues?.FirstOrDefault());
            Options.Verbose?.Invoke($"{Host}: rate limit {remaining?.ToString() ?? "?"} of {limit?.ToString() ?? "?"} requests left.");
            if (remaining != null && (limit == null ? remaining <= 5 : remaining * 10 <= limit) && Interlocked.Exchange(ref _rateWarned, 1) == 0)
                Options.Warning?.Invoke($"The registry {Host} allows {remaining} more pulls{(limit != null ? $" of {limit}" : "")} in its current window (RateLimit-Remaining).");
        }

        private static long? FirstNumber(string? value)
        {
            if (value == null) return null;
            int semi = value.IndexOf(';');
            return long.TryParse((semi >= 0 ? value.Substring(0, semi) : value).Trim(), out long n) ? n : (long?)null;
        }
    }
}
