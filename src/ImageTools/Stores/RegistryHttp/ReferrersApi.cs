using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using ImageTools.Oci;

namespace ImageTools.Stores.RegistryHttp
{
    /// <summary>
    /// The OCI 1.1 referrers API of one repository: <c>GET /v2/&lt;name&gt;/referrers/&lt;digest&gt;</c>, an index of the
    /// descriptors of the manifests whose subject is the digest, followed page by page through Link, with
    /// <c>?artifactType=</c> (the registry says OCI-Filters-Applied when it filtered; the entries are filtered here
    /// whatever it says). A 404 means the registry has no such API (distribution-spec: a registry with it never
    /// answers 404 there).
    /// </summary>
    public sealed class ReferrersApi
    {
        private const int MaxPages = 1000;
        private const string FiltersHeader = "OCI-Filters-Applied";

        public ReferrersApi(RegistryApi api)
        {
            Api = api;
        }

        public RegistryApi Api { get; }

        /// <summary>The referrers the API lists for a subject; null when the registry has no referrers API.</summary>
        public IReadOnlyList<Descriptor>? List(Digest subject, string? artifactType = null, CancellationToken cancel = default)
        {
            string? next = $"v2/{Api.Repository}/referrers/{subject}" + (artifactType == null ? "" : "?artifactType=" + Uri.EscapeDataString(artifactType));
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var found = new List<Descriptor>();
            for (int page = 0; next != null; page++)
            {
                if (page >= MaxPages || !seen.Add(next))
                    throw new ImageToolsException(ErrorId.RegistryUnavailable,
                        $"The registry {Api.Client.Host} sends the pages of the referrers of {subject} in {Api.Repository} in a loop (at {next}).", subject.ToString(), Api.Client.Host);
                string path = next;
                using var response = Api.Client.SendAsync(b =>
                {
                    var r = new HttpRequestMessage(HttpMethod.Get, new Uri(b, path));
                    r.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(MediaTypes.OciIndex));
                    return r;
                }, Api.PullScope, cancel).GetAwaiter().GetResult();
                if (response.StatusCode == HttpStatusCode.NotFound && page == 0)
                {
                    Api.Client.Options.Verbose?.Invoke($"{Api.Client.Host}: no referrers API (404 for {Api.Repository}); the referrers tags are read instead.");
                    return null;
                }
                Api.Require(response, $"GET referrers of {subject}");
                if (artifactType != null && page == 0 && !FilterApplied(response))
                    Api.Client.Options.Verbose?.Invoke($"{Api.Client.Host}: the referrers API did not apply the artifactType filter (no {FiltersHeader}); it is applied here.");
                string what = $"the referrers of {subject} from {Api.Client.Host}/{Api.Repository}";
                var bytes = ReadPage(response, what);
                ImageIndex index;
                try { index = ImageIndex.Parse(bytes, what); }
                catch (ContentFormatException e) { throw new ImageToolsException(ErrorId.MalformedContent, e.Message, subject.ToString(), Api.Client.Host, e); }
                found.AddRange(index.Manifests.Where(d => artifactType == null || d.ArtifactType == artifactType));
                next = RegistryListing.NextLink(response);
            }
            return found;
        }

        private byte[] ReadPage(HttpResponseMessage response, string what)
        {
            long? length = response.Content.Headers.ContentLength;
            if (length > RegistryApi.MaxManifestSize) throw TooLarge(what);
            using var body = response.Content.ReadAsStreamAsync().GetAwaiter().GetResult();
            var buffer = new System.IO.MemoryStream();
            var chunk = new byte[81920];
            int n;
            while ((n = body.Read(chunk, 0, chunk.Length)) > 0)
            {
                buffer.Write(chunk, 0, n);
                if (buffer.Length > RegistryApi.MaxManifestSize) throw TooLarge(what);
            }
            return buffer.ToArray();
        }

        private ImageToolsException TooLarge(string what) =>
            new ImageToolsException(ErrorId.ContentTooLarge, $"A page of {what} is over the {RegistryApi.MaxManifestSize} bytes an index may have; it is not read.", what, Api.Client.Host);

        /// <summary>True when the registry says it applied the artifactType filter itself.</summary>
        private static bool FilterApplied(HttpResponseMessage response) =>
            response.Headers.TryGetValues(FiltersHeader, out var values)
            && values.SelectMany(v => v.Split(',')).Any(v => v.Trim() == "artifactType");
    }
}
