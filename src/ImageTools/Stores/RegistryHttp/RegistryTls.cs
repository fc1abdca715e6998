using System.Linq;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace ImageTools.Stores.RegistryHttp
{
    /// <summary>
    /// Which server certificates a registry connection accepts: the system's roots, plus the CAs Docker trusts for
    /// that host (<c>certs.d/&lt;host[:port]&gt;/*.crt</c>), or anything with -SkipCertificateCheck. A name mismatch is never
    /// forgiven by certs.d.
    /// </summary>
    internal static class RegistryTls
    {
        /// <summary>
        /// The client certificates of certs.d for a host, each with its private key (PEM files, as docker reads them).
        /// X509Certificate2.CreateFromPemFile is .NET 5+; this assembly targets netstandard2.0, so it is found at run time.
        /// </summary>
        public static X509Certificate2Collection ClientCertificates(string hostAndPort, DockerSettings docker)
        {
            var result = new X509Certificate2Collection();
            var pairs = docker.ClientCertificatesFor(hostAndPort);
            if (pairs.Count == 0) return result;
            var fromPem = typeof(X509Certificate2).GetMethod("CreateFromPemFile", new[] { typeof(string), typeof(string) })
                ?? throw new ImageToolsException(ErrorId.ConfigurationUnreadable, $"This .NET cannot read PEM client certificates ({pairs[0].Certificate}).", pairs[0].Certificate, pairs[0].Certificate);
            foreach (var (cert, key) in pairs)
            {
                try { result.Add((X509Certificate2)fromPem.Invoke(null, new object[] { cert, key })!); }
                catch (System.Reflection.TargetInvocationException e) when (e.InnerException is System.Security.Cryptography.CryptographicException
                    || e.InnerException is System.IO.IOException || e.InnerException is System.UnauthorizedAccessException || e.InnerException is System.ArgumentException)
                {
                    throw new ImageToolsException(ErrorId.ConfigurationUnreadable,
                        $"The client certificate {cert} with the key {key} cannot be read: {e.InnerException!.Message}", cert, cert, e.InnerException);
                }
            }
            return result;
        }

        public static bool Accept(X509Certificate2? certificate, SslPolicyErrors errors, string hostAndPort, RegistryOptions options)
        {
            if (errors == SslPolicyErrors.None || options.SkipCertificateCheck) return true;
            if (certificate == null || errors != SslPolicyErrors.RemoteCertificateChainErrors) return false;
            var files = options.Docker.CaFilesFor(hostAndPort);
            if (files.Count == 0) return false;
            var authorities = new X509Certificate2Collection();
            foreach (var f in files)
            {
                try { authorities.Import(f); }
                catch (System.Security.Cryptography.CryptographicException) { }
            }
            if (authorities.Count == 0) return false;
            using var chain = new X509Chain();
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.VerificationFlags = X509VerificationFlags.AllowUnknownCertificateAuthority;
            chain.ChainPolicy.ExtraStore.AddRange(authorities);
            if (!chain.Build(certificate)) return false;
            // the chain must end at one of the certs.d authorities, not merely at some unknown root
            var root = chain.ChainElements[chain.ChainElements.Count - 1].Certificate;
            return authorities.Cast<X509Certificate2>().Any(a => a.Thumbprint == root.Thumbprint);
        }
    }
}
