using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using ImageTools.Oci;

namespace ImageTools.Stores.RegistryHttp
{
    /// <summary>What a tag points at, from a HEAD of its manifest.</summary>
    public sealed class RemoteTagTarget
    {
        public RemoteTagTarget(Digest digest, string? mediaType, long? size)
        {
            Digest = digest;
            MediaType = mediaType;
            Size = size;
        }

        public Digest Digest { get; }
        public string? MediaType { get; }
        public long? Size { get; }
    }

    /// <summary>The catalog and tag lists of a registry, followed page by page through <c>Link: &lt;…&gt;; rel="next"</c>.</summary>
    public static class RegistryListing
    {
        /// <summary>Entries asked per page (registries may answer fewer, and then send a Link).</summary>
        public const int PageSize = 1000;

        /// <summary>Pages followed before giving up (a registry whose Link loops).</summary>
        private const int MaxPages = 10000;

        public static IEnumerable<string> Repositories(RegistryClient client, CancellationToken cancel = default) =>
            Pages(client, $"v2/_catalog?n={PageSize}", "registry:catalog:*", "repositories", "the catalog", cancel);

        public static IEnumerable<string> Tags(RegistryApi api, CancellationToken cancel = default) =>
            Pages(api.Client, $"v2/{api.Repository}/tags/list?n={PageSize}", api.PullScope, "tags", $"the tags of {api.Repository}", cancel, api.Repository);

        /// <summary>The manifest a tag points at: Docker-Content-Digest of a HEAD, or the digest of a GET when the registry sends no digest header.</summary>
        public static RemoteTagTarget? Resolve(RegistryApi api, string tag, CancellationToken cancel = default)
        {
            using var response = api.Send(HttpMethod.Head, $"manifests/{tag}", api.PullScope, cancel, RegistryApi.ManifestTypes);
            if (response.StatusCode == HttpStatusCode.NotFound) return null;
            api.Require(response, $"HEAD manifest {tag}");
            var digest = RegistryApi.HeaderDigest(response);
            if (digest == null)
            {
                var m = api.GetManifest(tag, cancel);
                return m == null ? null : new RemoteTagTarget(m.Digest, m.MediaType, m.Bytes.Length);
            }
            return new RemoteTagTarget(digest, response.Content.Headers.ContentType?.MediaType, response.Content.Headers.ContentLength);
        }

        private static IEnumerable<string> Pages(RegistryClient client, string first, string scope, string property, string what, CancellationToken cancel, string? notFoundTarget = null)
        {
            string? next = first;
            var seenPages = new HashSet<string>(StringComparer.Ordinal);
            for (int page = 0; next != null; page++)
            {
                if (page >= MaxPages || !seenPages.Add(next))
                    throw new ImageToolsException(ErrorId.RegistryUnavailable, $"The registry {client.Host} sends the pages of {what} in a loop (at {next}).", what, client.Host);
                string path = next;
                using var response = client.SendAsync(b => new HttpRequestMessage(HttpMethod.Get, new Uri(b, path)), scope, cancel).GetAwaiter().GetResult();
                if (response.StatusCode == HttpStatusCode.NotFound && notFoundTarget != null)
                    throw new ImageToolsException(ErrorId.ImageNotFound, $"The registry {client.Host} has no repository {notFoundTarget}.", notFoundTarget, client.Host);
                if (!response.IsSuccessStatusCode)
                {
                    string body = RegistryClient.ErrorText(response).GetAwaiter().GetResult();
                    throw new ImageToolsException(ErrorId.RegistryUnavailable,
                        $"The registry {client.Host} answered {(int)response.StatusCode} {response.ReasonPhrase} when asked for {what}{body}.", what, client.Host);
                }
                var bytes = response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
                if (bytes.Length > RegistryApi.MaxManifestSize * 4)
                    throw new ImageToolsException(ErrorId.ContentTooLarge, $"A page of {what} from {client.Host} is {bytes.Length} bytes; it is not read.", what, client.Host);
                foreach (var name in Names(bytes, property, what, client.Host)) yield return name;
                next = NextLink(response);
            }
        }

        private static List<string> Names(byte[] bytes, string property, string what, string host)
        {
            try
            {
                using var doc = JsonDocument.Parse(bytes);
                var root = doc.RootElement;
                if (root.ValueKind != JsonValueKind.Object) throw new JsonException("not an object");
                if (!root.TryGetProperty(property, out var list) || list.ValueKind == JsonValueKind.Null) return new List<string>();
                if (list.ValueKind != JsonValueKind.Array) throw new JsonException($"'{property}' is not an array");
                return list.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList();
            }
            catch (JsonException e)
            {
                throw new ImageToolsException(ErrorId.MalformedContent, $"The registry {host} answered something that is not {what}: {e.Message}", what, host, e);
            }
        }

        /// <summary>The target of <c>Link: &lt;/v2/…?last=x&amp;n=…&gt;; rel="next"</c>, relative to the registry; null when there is no next page.</summary>
        internal static string? NextLink(HttpResponseMessage response)
        {
            if (!response.Headers.TryGetValues("Link", out var values)) return null;
            foreach (var value in values)
                foreach (var part in value.Split(','))
                {
                    int open = part.IndexOf('<'), close = part.IndexOf('>');
                    if (open < 0 || close < open || part.IndexOf("rel=\"next\"", StringComparison.OrdinalIgnoreCase) < 0 && part.IndexOf("rel=next", StringComparison.OrdinalIgnoreCase) < 0) continue;
                    string target = part.Substring(open + 1, close - open - 1).Trim();
                    // an absolute link is followed on the registry itself; a rooted path is not a file: URI (as Uri reads it on Unix)
                    if ((target.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || target.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
                        && Uri.TryCreate(target, UriKind.Absolute, out var absolute)) target = absolute.PathAndQuery;
                    return target.TrimStart('/');
                }
            return null;
        }
    }
}
