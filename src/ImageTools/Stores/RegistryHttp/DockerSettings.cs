using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace ImageTools.Stores.RegistryHttp
{
    /// <summary>
    /// What Docker's own files say about registries: CA certificates in <c>/etc/docker/certs.d/&lt;host[:port]&gt;/</c>,
    /// <c>insecure-registries</c> in <c>/etc/docker/daemon.json</c>, credentials in <c>$DOCKER_CONFIG/config.json</c>.
    /// </summary>
    public sealed class DockerSettings
    {
        public DockerSettings(string certsDirectory, string daemonJson, string? configDirectory)
        {
            CertsDirectory = certsDirectory;
            DaemonJson = daemonJson;
            ConfigDirectory = configDirectory;
        }

        /// <summary>Replaces <c>/etc/docker/certs.d</c> (tests, or a docker whose certs.d is elsewhere).</summary>
        public const string CertsDirectoryVariable = "IMAGETOOLS_DOCKER_CERTS_D";

        public static DockerSettings Default => new DockerSettings(
            Environment.GetEnvironmentVariable(CertsDirectoryVariable) is string certs && certs.Length > 0 ? certs : "/etc/docker/certs.d", "/etc/docker/daemon.json",
            Environment.GetEnvironmentVariable("DOCKER_CONFIG") is string d && d.Length > 0 ? d
            : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) is string home && home.Length > 0 ? Path.Combine(home, ".docker") : null);

        public string CertsDirectory { get; }
        public string DaemonJson { get; }
        public string? ConfigDirectory { get; }

        /// <summary>The CA files Docker trusts for a host (every <c>*.crt</c> of its certs.d folder, as dockerd reads them).</summary>
        public IReadOnlyList<string> CaFilesFor(string hostAndPort) => FilesFor(hostAndPort, "*.crt");

        /// <summary>
        /// The client certificates Docker presents to a host: each <c>*.cert</c> of its certs.d folder with the
        /// <c>*.key</c> of the same name. As dockerd, a certificate without its key or a key without its certificate
        /// is an error (ConfigurationUnreadable), not something to skip silently.
        /// </summary>
        public IReadOnlyList<(string Certificate, string Key)> ClientCertificatesFor(string hostAndPort)
        {
            var pairs = new List<(string, string)>();
            foreach (var cert in FilesFor(hostAndPort, "*.cert"))
            {
                string key = Path.ChangeExtension(cert, ".key");
                if (!File.Exists(key))
                    throw new ImageToolsException(ErrorId.ConfigurationUnreadable, $"The client certificate {cert} has no key {key} beside it (docker's certs.d pairs NAME.cert with NAME.key).", cert, cert);
                pairs.Add((cert, key));
            }
            foreach (var key in FilesFor(hostAndPort, "*.key"))
                if (!File.Exists(Path.ChangeExtension(key, ".cert")))
                    throw new ImageToolsException(ErrorId.ConfigurationUnreadable, $"The key {key} has no client certificate {Path.ChangeExtension(key, ".cert")} beside it (docker's certs.d pairs NAME.cert with NAME.key).", key, key);
            return pairs;
        }

        private IReadOnlyList<string> FilesFor(string hostAndPort, string pattern)
        {
            var dir = Path.Combine(CertsDirectory, hostAndPort.Replace('/', '_'));
            return Directory.Exists(dir) ? Directory.GetFiles(dir, pattern).OrderBy(f => f, StringComparer.Ordinal).ToList() : new List<string>();
        }

        /// <summary>The <c>insecure-registries</c> of daemon.json: host[:port] names and CIDR ranges; none when the file is missing or unreadable.</summary>
        public IReadOnlyList<string> InsecureRegistries()
        {
            try
            {
                if (!File.Exists(DaemonJson)) return Array.Empty<string>();
                using var doc = JsonDocument.Parse(File.ReadAllBytes(DaemonJson));
                if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("insecure-registries", out var list)
                    || list.ValueKind != JsonValueKind.Array) return Array.Empty<string>();
                return list.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList();
            }
            catch (Exception e) when (e is IOException || e is JsonException || e is UnauthorizedAccessException) { return Array.Empty<string>(); }
        }
    }
}
