namespace ImageTools.Stores.RegistryHttp
{
    /// <summary>A user name and a password (or an identity token, with the user name <c>&lt;token&gt;</c>, as docker keeps it).</summary>
    public sealed class RegistryCredential
    {
        public RegistryCredential(string userName, string password)
        {
            UserName = userName;
            Password = password;
        }

        public const string IdentityTokenUser = "<token>";

        public string UserName { get; }
        public string Password { get; }

        /// <summary>True when the password is a refresh token (docker's identitytoken), exchanged at the token realm by POST.</summary>
        public bool IsIdentityToken => UserName == IdentityTokenUser;
    }

    /// <summary>How a command talks to registries: given credentials, certificate checking, plain HTTP.</summary>
    public sealed class RegistryOptions
    {
        /// <summary>Credentials for every registry this command talks to; null: Docker's config, then anonymous.</summary>
        public RegistryCredential? Credential { get; set; }

        /// <summary>Accept any server certificate (self-signed, expired, another name).</summary>
        public bool SkipCertificateCheck { get; set; }

        /// <summary>Allow plain HTTP for any registry (else only loopback and Docker's insecure-registries).</summary>
        public bool AllowPlainHttp { get; set; }

        /// <summary>Attempts for a request that fails with 408, 429, 5xx or a dropped connection.</summary>
        public int MaxAttempts { get; set; } = 5;

        /// <summary>Cap on any one wait between attempts, whatever Retry-After asks.</summary>
        public System.TimeSpan MaxRetryDelay { get; set; } = System.TimeSpan.FromSeconds(30);

        /// <summary>Where Docker's configuration lives (certs.d, daemon.json, config.json); overridable for tests.</summary>
        public DockerSettings Docker { get; set; } = DockerSettings.Default;

        /// <summary>Verbose messages (rate limits, retries); may be called from any thread.</summary>
        public System.Action<string>? Verbose { get; set; }

        /// <summary>Warnings (a rate limit near zero); may be called from any thread.</summary>
        public System.Action<string>? Warning { get; set; }
    }
}
