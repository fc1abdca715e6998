using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace ImageTools.Stores.RegistryHttp
{
    /// <summary>
    /// Credentials as docker finds them in its config.json: <c>credHelpers</c> for the host, then <c>credsStore</c>,
    /// then <c>auths</c> (base64 user:password, or an identitytoken); through <c>docker-credential-&lt;name&gt; get</c>
    /// for helpers. Nothing found (or a helper that fails) means anonymous.
    /// </summary>
    internal static class DockerCredentials
    {
        private const string DockerHubKey = "https://index.docker.io/v1/";

        public static RegistryCredential? For(string host, DockerSettings docker)
        {
            if (docker.ConfigDirectory == null) return null;
            var path = Path.Combine(docker.ConfigDirectory, "config.json");
            try
            {
                if (!File.Exists(path)) return null;
                using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
                var root = doc.RootElement;
                if (root.ValueKind != JsonValueKind.Object) return null;
                var keys = KeysFor(host);
                if (root.TryGetProperty("credHelpers", out var helpers) && helpers.ValueKind == JsonValueKind.Object)
                    foreach (var key in keys)
                        if (helpers.TryGetProperty(key, out var h) && h.ValueKind == JsonValueKind.String)
                            return FromHelper(h.GetString()!, key);
                if (root.TryGetProperty("credsStore", out var store) && store.ValueKind == JsonValueKind.String && store.GetString()!.Length > 0)
                {
                    foreach (var key in keys)
                        if (FromHelper(store.GetString()!, key) is RegistryCredential c) return c;
                }
                if (root.TryGetProperty("auths", out var auths) && auths.ValueKind == JsonValueKind.Object)
                    foreach (var key in keys)
                        if (auths.TryGetProperty(key, out var entry) && FromAuthEntry(entry) is RegistryCredential c) return c;
                return null;
            }
            catch (Exception e) when (e is IOException || e is JsonException || e is UnauthorizedAccessException || e is FormatException) { return null; }
        }

        /// <summary>The names docker may have stored a host under.</summary>
        internal static IReadOnlyList<string> KeysFor(string host)
        {
            if (host == RegistryClient.DockerHubHost || host == "docker.io" || host == "index.docker.io")
                return new[] { DockerHubKey, "index.docker.io", "docker.io", "registry-1.docker.io" };
            return new[] { host, "https://" + host, "http://" + host, "https://" + host + "/v1/", "https://" + host + "/v2/" };
        }

        private static RegistryCredential? FromAuthEntry(JsonElement entry)
        {
            if (entry.ValueKind != JsonValueKind.Object) return null;
            string? user = null, password = null;
            if (entry.TryGetProperty("auth", out var auth) && auth.ValueKind == JsonValueKind.String && auth.GetString()!.Length > 0)
            {
                var text = Encoding.UTF8.GetString(Convert.FromBase64String(auth.GetString()!));
                int colon = text.IndexOf(':');
                if (colon > 0) { user = text.Substring(0, colon); password = text.Substring(colon + 1); }
            }
            if (entry.TryGetProperty("identitytoken", out var token) && token.ValueKind == JsonValueKind.String && token.GetString()!.Length > 0)
                return new RegistryCredential(RegistryCredential.IdentityTokenUser, token.GetString()!);
            return user != null ? new RegistryCredential(user, password!) : null;
        }

        private static RegistryCredential? FromHelper(string helper, string serverUrl)
        {
            if (helper.IndexOfAny(new[] { '/', '\\' }) >= 0 || helper.Contains("..")) return null;
            var info = new ProcessStartInfo("docker-credential-" + helper, "get")
            {
                RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            };
            try
            {
                using var p = Process.Start(info);
                if (p == null) return null;
                p.StandardInput.Write(serverUrl);
                p.StandardInput.Close();
                var output = p.StandardOutput.ReadToEnd();
                if (!p.WaitForExit(30000)) { try { p.Kill(); } catch (InvalidOperationException) { } return null; }
                if (p.ExitCode != 0) return null;
                using var doc = JsonDocument.Parse(output);
                var r = doc.RootElement;
                var user = r.TryGetProperty("Username", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : null;
                var secret = r.TryGetProperty("Secret", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
                if (string.IsNullOrEmpty(secret)) return null;
                return new RegistryCredential(string.IsNullOrEmpty(user) ? RegistryCredential.IdentityTokenUser : user!, secret!);
            }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception || e is IOException || e is JsonException || e is InvalidOperationException) { return null; }
        }
    }
}
