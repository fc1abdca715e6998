using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Threading;
using ImageTools.Content;
using ImageTools.Oci;

namespace ImageTools.Stores.RegistryHttp
{
    /// <summary>A manifest or index as a registry served it: its exact bytes, digest and media type.</summary>
    public sealed class RemoteManifest
    {
        public RemoteManifest(byte[] bytes, Digest digest, string mediaType)
        {
            Bytes = bytes;
            Digest = digest;
            MediaType = mediaType;
        }

        public byte[] Bytes { get; }
        public Digest Digest { get; }
        public string MediaType { get; }
        public Descriptor Descriptor => new Descriptor(MediaType, Digest, Bytes.Length);
    }

    /// <summary>The read calls of the distribution API on one repository (manifests, blobs), synchronous for the stores above.</summary>
    public sealed class RegistryApi
    {
        /// <summary>Registries refuse manifests over 4 MiB (distribution's limit); a bigger answer is not read.</summary>
        public const long MaxManifestSize = 4L << 20;

        internal static readonly string[] ManifestTypes = { MediaTypes.OciIndex, MediaTypes.OciManifest, MediaTypes.DockerManifestList, MediaTypes.DockerManifest };

        public RegistryApi(RegistryClient client, string repository)
        {
            Client = client;
            Repository = repository;
        }

        public RegistryClient Client { get; }
        public string Repository { get; }

        public string PullScope => $"repository:{Repository}:pull";

        /// <summary>The manifest a tag or digest names, its bytes digested and (for a digest) checked; null when the registry has none.</summary>
        public RemoteManifest? GetManifest(string tagOrDigest, CancellationToken cancel = default)
        {
            using var response = Send(HttpMethod.Get, $"manifests/{tagOrDigest}", PullScope, cancel, ManifestTypes);
            if (response.StatusCode == HttpStatusCode.NotFound) return null;
            Require(response, $"GET manifest {tagOrDigest}");
            long? length = response.Content.Headers.ContentLength;
            if (length > MaxManifestSize) throw TooLarge(tagOrDigest, length.Value);
            byte[] bytes;
            using (var body = response.Content.ReadAsStreamAsync().GetAwaiter().GetResult())
            {
                var buffer = new MemoryStream();
                var chunk = new byte[81920];
                int n;
                while ((n = body.Read(chunk, 0, chunk.Length)) > 0)
                {
                    buffer.Write(chunk, 0, n);
                    if (buffer.Length > MaxManifestSize) throw TooLarge(tagOrDigest, buffer.Length);
                }
                bytes = buffer.ToArray();
            }
            if (length != null && length != bytes.Length)
                throw new ImageToolsException(ErrorId.SizeMismatch,
                    $"The manifest {Repository}:{tagOrDigest} from {Client.Host} has {bytes.Length} bytes, not the {length} its Content-Length says.", tagOrDigest, Client.Host);
            var digest = Sha256(bytes);
            var expected = Digest.TryParse(tagOrDigest, out var asked) ? asked : HeaderDigest(response);
            if (expected != null && expected != digest)
                throw new BlobVerificationException(ErrorId.DigestMismatch,
                    $"The manifest {Repository}{(asked != null ? "@" : ":")}{tagOrDigest} from {Client.Host} has the digest {digest}, not {expected}{(asked != null ? "" : " (Docker-Content-Digest)")}.",
                    expected, Describe(tagOrDigest, manifest: true), digest, bytes.Length);
            string mediaType = response.Content.Headers.ContentType?.MediaType ?? "";
            if (!ManifestTypes.Contains(mediaType)) mediaType = MediaTypeInside(bytes) ?? mediaType;
            return new RemoteManifest(bytes, digest, mediaType);
        }

        /// <summary>True when the repository has the blob (HEAD).</summary>
        public bool HasBlob(Digest digest, CancellationToken cancel = default)
        {
            using var response = Send(HttpMethod.Head, $"blobs/{digest}", PullScope, cancel);
            if (response.StatusCode == HttpStatusCode.NotFound) return false;
            Require(response, $"HEAD blob {digest}");
            return true;
        }

        /// <summary>A blob's bytes as they arrive, resumed with Range after a dropped connection; null when the registry has no such blob.</summary>
        public Stream? OpenBlob(Digest digest, long size, CancellationToken cancel = default)
        {
            var response = OpenBlobAt(digest, 0, cancel);
            if (response == null) return null;
            return new ResumingBlobStream(this, digest, size, response, cancel);
        }

        /// <summary>The answer to GET blob from an offset (Range when offset &gt; 0); null for 404.</summary>
        internal HttpResponseMessage? OpenBlobAt(Digest digest, long offset, CancellationToken cancel)
        {
            var response = Client.SendAsync(b =>
            {
                var r = new HttpRequestMessage(HttpMethod.Get, Address(b, $"blobs/{digest}"));
                if (offset > 0) r.Headers.Range = new RangeHeaderValue(offset, null);
                return r;
            }, PullScope, cancel).GetAwaiter().GetResult();
            if (response.StatusCode == HttpStatusCode.NotFound) { response.Dispose(); return null; }
            try { Require(response, $"GET blob {digest}"); }
            catch { response.Dispose(); throw; }
            return response;
        }

        public string Describe(string tagOrDigest, bool manifest = false) =>
            $"{Client.Scheme}://{Client.Host}/v2/{Repository}/{(manifest ? "manifests" : "blobs")}/{tagOrDigest}";

        internal Uri Address(Uri baseUri, string path) => new Uri(baseUri, $"v2/{Repository}/{path}");

        internal HttpResponseMessage Send(HttpMethod method, string path, string scope, CancellationToken cancel, string[]? accept = null) =>
            Client.SendAsync(b =>
            {
                var r = new HttpRequestMessage(method, Address(b, path));
                foreach (var a in accept ?? Array.Empty<string>()) r.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(a));
                return r;
            }, scope, cancel).GetAwaiter().GetResult();

        internal void Require(HttpResponseMessage response, string what)
        {
            if (response.IsSuccessStatusCode) return;
            string body = RegistryClient.ErrorText(response).GetAwaiter().GetResult();
            throw new ImageToolsException(ErrorId.RegistryUnavailable,
                $"The registry {Client.Host} answered {(int)response.StatusCode} {response.ReasonPhrase} to {what} in {Repository}{body}.", Repository, Client.Host);
        }

        internal static Digest? HeaderDigest(HttpResponseMessage response) =>
            response.Headers.TryGetValues("Docker-Content-Digest", out var values) && Digest.TryParse(values.FirstOrDefault(), out var d) ? d : null;

        internal static Digest Sha256(byte[] bytes)
        {
            using var sha = SHA256.Create();
            return Digest.FromBytes("sha256", sha.ComputeHash(bytes));
        }

        private static string? MediaTypeInside(byte[] bytes)
        {
            try
            {
                using var doc = System.Text.Json.JsonDocument.Parse(bytes);
                return doc.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object && doc.RootElement.TryGetProperty("mediaType", out var m)
                    && m.ValueKind == System.Text.Json.JsonValueKind.String ? m.GetString() : null;
            }
            catch (System.Text.Json.JsonException) { return null; }
        }

        private ImageToolsException TooLarge(string tagOrDigest, long size) =>
            new ImageToolsException(ErrorId.ContentTooLarge,
                $"The manifest {Repository}:{tagOrDigest} from {Client.Host} is {size} bytes or more, over the {MaxManifestSize} bytes a manifest may have; it is not read.",
                tagOrDigest, Client.Host);
    }
}
