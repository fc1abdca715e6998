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
    /// <summary>Where a registry keeps the referrers it was asked for.</summary>
    public enum RemoteReferrerSource
    {
        /// <summary>The OCI 1.1 referrers API (<c>GET /v2/&lt;name&gt;/referrers/&lt;digest&gt;</c>).</summary>
        ReferrersApi,
        /// <summary>The index under the referrers tag schema (<c>sha256-&lt;hex&gt;</c>), for a registry without the API.</summary>
        FallbackTag,
        /// <summary>A cosign tag (<c>sha256-&lt;hex&gt;.sig</c>, <c>.att</c>, <c>.sbom</c>): the manifest it names.</summary>
        CosignTag,
    }

    /// <summary>One referrer a registry lists for a subject: its descriptor as listed, how it was found, and (cosign) the tag and manifest.</summary>
    public sealed class RemoteReferrer
    {
        public RemoteReferrer(Digest subject, Descriptor descriptor, RemoteReferrerSource source, string? tag = null, RemoteManifest? manifest = null)
        {
            Subject = subject;
            Descriptor = descriptor;
            Source = source;
            Tag = tag;
            Manifest = manifest;
        }

        public Digest Subject { get; }
        public Descriptor Descriptor { get; }
        public RemoteReferrerSource Source { get; }

        /// <summary>The tag it was found under (the fallback tag or a cosign tag); null through the API.</summary>
        public string? Tag { get; }

        /// <summary>The manifest, when it was fetched to be found (cosign tags).</summary>
        public RemoteManifest? Manifest { get; }
    }

    /// <summary>
    /// The referrers of a digest in one repository: through the referrers API (paged with Link, filtered by
    /// artifactType where the registry says OCI-Filters-Applied, else here), or where the registry has no API (404)
    /// through the fallback tag; then through cosign's tags in both cases. The same digest is listed once.
    /// </summary>
    public sealed class RemoteReferrers
    {
        private const int MaxPages = 1000;
        private const string FiltersHeader = "OCI-Filters-Applied";

        public RemoteReferrers(RegistryApi api)
        {
            Api = api;
        }

        public RegistryApi Api { get; }

        /// <summary>True/false once the registry was asked: whether it has the referrers API.</summary>
        public bool? HasApi { get; private set; }

        public IReadOnlyList<RemoteReferrer> Find(Digest subject, string? artifactType = null, CancellationToken cancel = default)
        {
            var found = FromApi(subject, artifactType, cancel) ?? FromFallbackTag(subject, cancel);
            found.AddRange(FromCosignTags(subject, cancel));
            return found
                .Where(r => artifactType == null || r.Descriptor.ArtifactType == artifactType)
                .GroupBy(r => r.Descriptor.Digest).Select(g => g.First()).ToList();
        }

        /// <summary>The API's pages; null when the registry has no API (404). Entries the registry did not filter are kept here and filtered by <see cref="Find"/>.</summary>
        private List<RemoteReferrer>? FromApi(Digest subject, string? artifactType, CancellationToken cancel)
        {
            string? next = $"v2/{Api.Repository}/referrers/{subject}" + (artifactType == null ? "" : "?artifactType=" + Uri.EscapeDataString(artifactType));
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var found = new List<RemoteReferrer>();
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
                    HasApi = false;
                    return null;
                }
                Api.Require(response, $"GET referrers of {subject}");
                HasApi = true;
                if (artifactType != null && page == 0 && !FilterApplied(response))
                    Api.Client.Options.Verbose?.Invoke($"{Api.Client.Host}: the referrers API did not apply the artifactType filter ({FiltersHeader}); it is applied here.");
                var bytes = ReadPage(response, subject);
                var index = Parse(bytes, $"the referrers of {subject} from {Api.Client.Host}/{Api.Repository}");
                found.AddRange(index.Manifests.Select(d => new RemoteReferrer(subject, d, RemoteReferrerSource.ReferrersApi)));
                next = RegistryListing.NextLink(response);
            }
            return found;
        }

        /// <summary>The index under the fallback tag; empty when there is no such tag.</summary>
        private List<RemoteReferrer> FromFallbackTag(Digest subject, CancellationToken cancel)
        {
            string tag = ReferrerTags.Fallback(subject);
            var manifest = Api.GetManifest(tag, cancel);
            if (manifest == null) return new List<RemoteReferrer>();
            if (!MediaTypes.IsIndex(manifest.MediaType))
            {
                Api.Client.Options.Warning?.Invoke(
                    $"The tag {Api.Repository}:{tag} at {Api.Client.Host} is a {manifest.MediaType}, not the index of referrers the referrers tag schema keeps there; it is not read as one.");
                return new List<RemoteReferrer>();
            }
            var index = Parse(manifest.Bytes, $"the referrers index {Api.Repository}:{tag} from {Api.Client.Host}");
            return index.Manifests.Select(d => new RemoteReferrer(subject, d, RemoteReferrerSource.FallbackTag, tag)).ToList();
        }

        /// <summary>The manifests cosign's tags name, each described as a referrers list would describe it.</summary>
        private IEnumerable<RemoteReferrer> FromCosignTags(Digest subject, CancellationToken cancel)
        {
            foreach (var suffix in ReferrerTags.CosignSuffixes)
            {
                string tag = ReferrerTags.Cosign(subject, suffix);
                var manifest = Api.GetManifest(tag, cancel);
                if (manifest == null) continue;
                Descriptor descriptor;
                try { descriptor = ReferrerDescriptor.For(manifest.Bytes, manifest.Digest, manifest.MediaType, $"the manifest {Api.Repository}:{tag} from {Api.Client.Host}"); }
                catch (ContentFormatException e)
                {
                    throw new ImageToolsException(ErrorId.MalformedContent, e.Message, tag, Api.Describe(tag, manifest: true), e);
                }
                yield return new RemoteReferrer(subject, descriptor, RemoteReferrerSource.CosignTag, tag, manifest);
            }
        }

        private byte[] ReadPage(HttpResponseMessage response, Digest subject)
        {
            long? length = response.Content.Headers.ContentLength;
            if (length > RegistryApi.MaxManifestSize)
                throw new ImageToolsException(ErrorId.ContentTooLarge,
                    $"A page of the referrers of {subject} from {Api.Client.Host} is {length} bytes, over the {RegistryApi.MaxManifestSize} an index may have; it is not read.", subject.ToString(), Api.Client.Host);
            using var body = response.Content.ReadAsStreamAsync().GetAwaiter().GetResult();
            var buffer = new System.IO.MemoryStream();
            var chunk = new byte[81920];
            int n;
            while ((n = body.Read(chunk, 0, chunk.Length)) > 0)
            {
                buffer.Write(chunk, 0, n);
                if (buffer.Length > RegistryApi.MaxManifestSize)
                    throw new ImageToolsException(ErrorId.ContentTooLarge,
                        $"A page of the referrers of {subject} from {Api.Client.Host} is over the {RegistryApi.MaxManifestSize} bytes an index may have; it is not read.", subject.ToString(), Api.Client.Host);
            }
            return buffer.ToArray();
        }

        private ImageIndex Parse(byte[] bytes, string what)
        {
            if (bytes.Length > RegistryApi.MaxManifestSize)
                throw new ImageToolsException(ErrorId.ContentTooLarge, $"{what} is {bytes.Length} bytes; it is not read.", what, Api.Client.Host);
            try { return ImageIndex.Parse(bytes, what); }
            catch (ContentFormatException e) { throw new ImageToolsException(ErrorId.MalformedContent, e.Message, what, Api.Client.Host, e); }
        }

        /// <summary>True when the registry says it applied the artifactType filter itself.</summary>
        internal static bool FilterApplied(HttpResponseMessage response) =>
            response.Headers.TryGetValues(FiltersHeader, out var values)
            && values.SelectMany(v => v.Split(',')).Any(v => v.Trim() == "artifactType");
    }
}
