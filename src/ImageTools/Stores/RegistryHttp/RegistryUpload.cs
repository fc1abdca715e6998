using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using ImageTools.Oci;

namespace ImageTools.Stores.RegistryHttp
{
    /// <summary>How a blob reached the destination repository.</summary>
    public enum BlobTransfer
    {
        /// <summary>The repository had it already (HEAD).</summary>
        Present,
        /// <summary>Mounted from another repository of the same registry (no bytes sent).</summary>
        Mounted,
        /// <summary>Sent.</summary>
        Uploaded,
    }

    /// <summary>
    /// The write calls of the distribution API on one repository: HEAD before upload, cross-repository mount
    /// (<c>mount=&amp;from=</c>, an upload when the registry answers 202), monolithic upload (POST then PUT with the
    /// digest); when that fails, the blob goes again in chunks into a new session (<see cref="ChunkedUpload"/>), so
    /// that a connection that keeps dropping costs a chunk, not the blob. Manifests PUT as given, DELETEd by digest.
    /// </summary>
    public sealed class RegistryUpload
    {
        private const int UploadAttempts = 3;

        public RegistryUpload(RegistryApi api)
        {
            Api = api;
        }

        public RegistryApi Api { get; }

        private RegistryClient Client => Api.Client;

        public string PushScope => $"repository:{Api.Repository}:pull,push";

        /// <summary>Puts a blob into the repository unless it is there: by mount from <paramref name="mountFrom"/> (same registry) when given, else by upload of <paramref name="open"/>'s bytes.</summary>
        public BlobTransfer Put(Descriptor blob, Func<Stream> open, string? mountFrom, CancellationToken cancel)
        {
            if (Exists(blob.Digest, cancel)) return BlobTransfer.Present;
            (Uri Location, int ChunkSize)? session = null;
            if (mountFrom != null && mountFrom != Api.Repository)
            {
                var scope = PushScope + " " + $"repository:{mountFrom}:pull";
                using var response = Send(HttpMethod.Post, $"blobs/uploads/?mount={Uri.EscapeDataString(blob.Digest.ToString())}&from={Uri.EscapeDataString(mountFrom)}", scope, cancel);
                if (response.StatusCode == HttpStatusCode.Created) return BlobTransfer.Mounted;
                Api.Require(response, $"POST mount of {blob.Digest} from {mountFrom}");
                // 202: the registry could not mount and opened an upload instead
                session = (UploadLocation(response), ChunkedUpload.ChunkSize(response));
            }
            for (int attempt = 1; ; attempt++)
            {
                try
                {
                    var (location, chunkSize) = session ?? StartUpload(cancel);
                    if (attempt == 1) Complete(location, blob, open, cancel);
                    else new ChunkedUpload(this, cancel).Send(location, chunkSize, blob, open);
                    return BlobTransfer.Uploaded;
                }
                catch (ImageToolsException e) when (e.ErrorId == ErrorId.RegistryUnavailable && attempt < UploadAttempts)
                {
                    Client.Options.Verbose?.Invoke($"{Client.Host}: upload of {blob.Digest} to {Api.Repository} failed ({e.Message}); sending it again in chunks.");
                    session = null;
                }
            }
        }

        public bool Exists(Digest digest, CancellationToken cancel)
        {
            using var response = Send(HttpMethod.Head, $"blobs/{digest}", PushScope, cancel);
            if (response.StatusCode == HttpStatusCode.NotFound) return false;
            Api.Require(response, $"HEAD blob {digest}");
            return true;
        }

        private (Uri Location, int ChunkSize) StartUpload(CancellationToken cancel)
        {
            using var response = Send(HttpMethod.Post, "blobs/uploads/", PushScope, cancel);
            Api.Require(response, "POST blobs/uploads/");
            if (response.StatusCode != HttpStatusCode.Accepted)
                throw new ImageToolsException(ErrorId.RegistryUnavailable,
                    $"The registry {Client.Host} answered {(int)response.StatusCode} to the start of an upload to {Api.Repository}, not 202 Accepted.", Api.Repository, Client.Host);
            return (UploadLocation(response), ChunkedUpload.ChunkSize(response));
        }

        private static bool IsDotDot(string segment) => Uri.UnescapeDataString(segment) == "..";

        internal Uri UploadLocation(HttpResponseMessage response)
        {
            var location = response.Headers.Location
                ?? throw new ImageToolsException(ErrorId.RegistryUnavailable, $"The registry {Client.Host} opened an upload to {Api.Repository} without a Location.", Api.Repository, Client.Host);
            // '..' in a Location would send the blob (and the credentials) to another path of the registry
            if (location.OriginalString.Split('?')[0].Split('/').Any(IsDotDot))
                throw new ImageToolsException(ErrorId.RegistryUnavailable,
                    $"The registry {Client.Host} opened an upload to {Api.Repository} at {location.OriginalString}, a Location with '..'; nothing is sent there.", Api.Repository, Client.Host);
            if (location.IsAbsoluteUri) return location;
            var baseUri = Client.BaseAsync(CancellationToken.None).GetAwaiter().GetResult();
            return new Uri(baseUri, location);
        }

        /// <summary>Closes an upload session with PUT <c>?digest=</c>: with the whole blob as its body, or none after chunks.</summary>
        internal void Complete(Uri session, Descriptor blob, Func<Stream>? content, CancellationToken cancel)
        {
            var target = new UriBuilder(session);
            string digestParam = "digest=" + Uri.EscapeDataString(blob.Digest.ToString());
            target.Query = target.Query.Length > 1 ? target.Query.Substring(1) + "&" + digestParam : digestParam;
            var uri = target.Uri;
            using var response = Client.SendAsync(_ =>
            {
                HttpContent body = content != null ? new StreamContent(content(), 1 << 20) : new ByteArrayContent(Array.Empty<byte>());
                body.Headers.ContentLength = content != null ? blob.Size : 0;
                body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                return new HttpRequestMessage(HttpMethod.Put, uri) { Content = body };
            }, PushScope, cancel).GetAwaiter().GetResult();
            if (response.StatusCode != HttpStatusCode.Created)
            {
                string body = RegistryClient.ErrorText(response).GetAwaiter().GetResult();
                var id = (int)response.StatusCode == 400 ? ErrorId.DigestMismatch : ErrorId.RegistryUnavailable;
                throw new ImageToolsException(id,
                    $"The registry {Client.Host} refused the upload of {blob.Digest} ({blob.Size} bytes) to {Api.Repository}: {(int)response.StatusCode} {response.ReasonPhrase}{body}.",
                    blob.Digest.ToString(), Client.Host);
            }
        }

        /// <summary>
        /// PUTs a manifest's bytes as they are, under a tag or its digest; the registry's digest must be ours. Returns
        /// the registry's OCI-Subject header (it has the referrers API and indexed the manifest's subject), else null.
        /// </summary>
        public Digest? PutManifest(string tagOrDigest, byte[] bytes, string mediaType, CancellationToken cancel)
        {
            var digest = RegistryApi.Sha256(bytes);
            using var response = Client.SendAsync(b => new HttpRequestMessage(HttpMethod.Put, Api.Address(b, $"manifests/{tagOrDigest}"))
            {
                Content = new ByteArrayContent(bytes) { Headers = { ContentType = new MediaTypeHeaderValue(mediaType) } },
            }, PushScope, cancel).GetAwaiter().GetResult();
            if (response.StatusCode != HttpStatusCode.Created)
            {
                string body = RegistryClient.ErrorText(response).GetAwaiter().GetResult();
                throw new ImageToolsException(ErrorId.RegistryUnavailable,
                    $"The registry {Client.Host} refused the manifest {digest} as {Api.Repository}:{tagOrDigest}: {(int)response.StatusCode} {response.ReasonPhrase}{body}.",
                    digest.ToString(), Client.Host);
            }
            var stored = RegistryApi.HeaderDigest(response);
            if (stored != null && stored != digest)
                throw new ImageToolsException(ErrorId.DigestMismatch,
                    $"The registry {Client.Host} stored the manifest {digest} for {Api.Repository}:{tagOrDigest} under the digest {stored}: it changed its bytes.", digest.ToString(), Client.Host);
            return response.Headers.TryGetValues("OCI-Subject", out var subject) && Digest.TryParse(subject.FirstOrDefault(), out var s) ? s : null;
        }

        /// <summary>DELETEs a manifest by digest; false when the registry has no such manifest.</summary>
        public bool DeleteManifest(Digest digest, CancellationToken cancel)
        {
            using var response = Send(HttpMethod.Delete, $"manifests/{digest}", $"repository:{Api.Repository}:delete", cancel);
            if (response.StatusCode == HttpStatusCode.NotFound) return false;
            if ((int)response.StatusCode == 405)
                throw new ImageToolsException(ErrorId.RegistryUnavailable,
                    $"The registry {Client.Host} does not allow deleting manifests (405; docker-registry needs storage.delete.enabled).", digest.ToString(), Client.Host);
            Api.Require(response, $"DELETE manifest {digest}");
            return true;
        }

        private HttpResponseMessage Send(HttpMethod method, string path, string scope, CancellationToken cancel) =>
            Client.SendAsync(b => new HttpRequestMessage(method, Api.Address(b, path)), scope, cancel).GetAwaiter().GetResult();
    }
}
