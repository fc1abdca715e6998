using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using ImageTools.Oci;
using ImageTools.Referrers;
using ImageTools.Stores;
using ImageTools.Stores.RegistryHttp;

namespace ImageTools.Export
{
    /// <summary>How one referrer reached the destination, and where the destination now lists it.</summary>
    internal sealed class PushedReferrer
    {
        public Descriptor Manifest { get; set; } = null!;
        public Digest Subject { get; set; } = null!;
        /// <summary>The registry answered OCI-Subject: its referrers API lists the manifest.</summary>
        public bool ListedByApi { get; set; }
        /// <summary>The tag that now lists or names it at the destination: the fallback tag or a cosign tag; null when the API lists it.</summary>
        public string? Tag { get; set; }
        /// <summary>The descriptor still to add to the fallback tag's index (<see cref="Tag"/>); null once listed, or when no fallback is needed.</summary>
        public Descriptor? FallbackEntry { get; set; }
        public int UploadedBlobs { get; set; }
    }

    /// <summary>
    /// Pushes referrers after their subject: the blobs of each (skipped when present, mounted from the same
    /// registry, else streamed and verified), its manifests (an index's children first) by digest with their bytes
    /// unchanged, then records it. A manifest with a subject is listed by the registry itself when it answers the PUT
    /// with OCI-Subject; else, once all are pushed, the fallback tag's index is read, the descriptors of its subject's
    /// referrers added (each once), and the index pushed again under the tag (distribution-spec, "Pushing Manifests
    /// with Subject"; one update per subject rather than one per referrer). A cosign manifest (no subject) is tagged
    /// with its cosign tag. At the end each manifest is fetched back by digest (its bytes digested) and the tag read
    /// back to check it lists or names it.
    /// </summary>
    internal static class RegistryReferrerPush
    {
        private const int MaxDepth = 8;

        public static PushedReferrer Push(FoundReferrer referrer, RegistryUpload destination, CancellationToken cancel)
        {
            var source = referrer.Store;
            string? cosignSuffix = referrer.FoundBy == ReferrerFoundBy.CosignTag && referrer.Tag != null ? referrer.Tag.Substring(referrer.Tag.LastIndexOf('.')) : null;
            string? mountFrom = source is RemoteRepositoryStore remote && remote.Api.Client.Host == destination.Api.Client.Host ? remote.Api.Repository : null;
            var pushed = new PushedReferrer { Manifest = referrer.Descriptor, Subject = referrer.Subject };
            var bytes = BlobReader.ReadVerified(source, referrer.Descriptor, RegistryApi.MaxManifestSize);
            string mediaType = MediaTypeOf(referrer.Descriptor, bytes);
            var subjectAnswer = PushManifest(source, referrer.Descriptor.Digest, bytes, mediaType, mountFrom, destination, pushed, 0, cancel);

            string what = $"the referrer {referrer.Descriptor.Digest} in {source.Location}";
            var declared = ParseOrThrow(() => ReferrerDescriptor.SubjectOf(bytes, what), what, source);
            if (cosignSuffix != null && declared == null)
            {
                pushed.Tag = ReferrerTags.Cosign(referrer.Subject).First(t => t.EndsWith(cosignSuffix, StringComparison.Ordinal));
                destination.PutManifest(pushed.Tag, bytes, mediaType, cancel);
            }
            else if (declared != null)
            {
                if (declared.Digest != referrer.Subject)
                    throw new ImageToolsException(ErrorId.MalformedContent,
                        $"{what} names the subject {declared.Digest}, not {referrer.Subject} it was listed for; it is not pushed as a referrer of {referrer.Subject}.",
                        referrer.Descriptor.Digest.ToString(), source.Location);
                if (subjectAnswer == declared.Digest) pushed.ListedByApi = true;
                else
                {
                    // listed later, with the other referrers of the same subject, in one update of the fallback tag
                    pushed.Tag = ReferrerTags.Fallback(declared.Digest);
                    pushed.FallbackEntry = ParseOrThrow(() => ReferrerDescriptor.For(bytes, referrer.Descriptor.Digest, mediaType, what), what, source);
                    return pushed;
                }
            }
            else
                throw new ImageToolsException(ErrorId.MalformedContent,
                    $"{what} has no subject and was not found under a cosign tag: nothing says what it refers to at the destination.", referrer.Descriptor.Digest.ToString(), source.Location);
            Verify(destination, pushed, cancel);
            return pushed;
        }

        /// <summary>
        /// Pushes what refers to a pushed image (its root and, for an index, its manifests) and, in turn, what refers to
        /// those, each once. BuildKit's attestation manifests are inside the index and went with it. Then each fallback
        /// tag is updated once with all the referrers of its subject, and read back. One referrer that cannot be pushed
        /// (or a fallback tag that cannot be updated, for its referrers) goes to <paramref name="onError"/>, and the
        /// others still go.
        /// </summary>
        public static IReadOnlyList<PushedReferrer> PushAll(IImageStore store, Descriptor root, IReferrerSource source, RegistryUpload destination,
            Action<Exception> onError, CancellationToken cancel)
        {
            var pushed = new List<PushedReferrer>();
            var subjects = new List<Descriptor> { root };
            if (MediaTypes.IsIndex(root.MediaType))
            {
                try { subjects.AddRange(Graph.StoreGraph.Of(store).Index(root).Manifests); }
                catch (Exception e) when (ExpectedFailures.IsExpected(e)) { onError(e); }
            }
            ReferrerWalk.Follow(subjects, source, new HashSet<Digest>(), found =>
            {
                cancel.ThrowIfCancellationRequested();
                try { pushed.Add(Push(found, destination, cancel)); return true; }
                catch (Exception e) when (ExpectedFailures.IsExpected(e)) { onError(e); return false; }
            }, onError);
            foreach (var group in pushed.Where(p => p.FallbackEntry != null).GroupBy(p => p.Tag!).ToList())
            {
                try
                {
                    AddToFallbackTag(destination, group.Key, group.Select(p => p.FallbackEntry!).ToList(), cancel);
                    foreach (var p in group) Verify(destination, p, cancel);
                }
                catch (Exception e) when (ExpectedFailures.IsExpected(e))
                {
                    onError(e);
                    pushed.RemoveAll(p => group.Contains(p));
                }
            }
            return pushed;
        }

        /// <summary>Blobs, then children (an index), then the manifest itself by digest; the registry's OCI-Subject answer to that last PUT.</summary>
        private static Digest? PushManifest(IImageStore source, Digest digest, byte[] bytes, string mediaType, string? mountFrom, RegistryUpload destination,
            PushedReferrer pushed, int depth, CancellationToken cancel)
        {
            string what = $"the referrer manifest {digest} in {source.Location}";
            if (depth > MaxDepth)
                throw new ImageToolsException(ErrorId.MalformedContent, $"{what} nests indexes deeper than {MaxDepth}.", digest.ToString(), source.Location);
            if (MediaTypes.IsIndex(mediaType))
            {
                var index = ParseOrThrow(() => ImageIndex.Parse(bytes, what), what, source);
                foreach (var child in index.Manifests)
                {
                    var childBytes = BlobReader.ReadVerified(source, child, RegistryApi.MaxManifestSize);
                    PushManifest(source, child.Digest, childBytes, MediaTypeOf(child, childBytes), mountFrom, destination, pushed, depth + 1, cancel);
                }
            }
            else
            {
                var manifest = ParseOrThrow(() => ImageManifest.Parse(bytes, what), what, source);
                foreach (var blob in new[] { manifest.Config }.Concat(manifest.Layers).GroupBy(b => b.Digest).Select(g => g.First()))
                {
                    var how = destination.Put(blob, () => BlobReader.OpenVerified(source, blob), mountFrom, cancel);
                    if (how == BlobTransfer.Uploaded) pushed.UploadedBlobs++;
                }
            }
            return destination.PutManifest(digest.ToString(), bytes, mediaType, cancel);
        }

        /// <summary>
        /// Reads the index under the fallback tag (none: an empty one), adds each descriptor it does not list yet, and
        /// pushes it back under the tag when anything was added; the number added.
        /// </summary>
        internal static int AddToFallbackTag(RegistryUpload destination, string tag, IReadOnlyList<Descriptor> added, CancellationToken cancel)
        {
            var api = destination.Api;
            var current = api.GetManifest(tag, cancel);
            var entries = new List<Descriptor>();
            IReadOnlyDictionary<string, string>? annotations = null;
            if (current != null)
            {
                string referrers = string.Join(", ", added.Select(d => d.Digest));
                if (!MediaTypes.IsIndex(current.MediaType))
                    throw new ImageToolsException(ErrorId.MalformedContent,
                        $"The tag {api.Repository}:{tag} at {api.Client.Host} is a {current.MediaType}, not the index of referrers the referrers tag schema keeps there; the referrers {referrers} are not added to it.",
                        tag, api.Describe(tag, manifest: true));
                string what = $"the referrers index {api.Repository}:{tag} at {api.Client.Host}";
                try
                {
                    var index = ImageIndex.Parse(current.Bytes, what);
                    entries.AddRange(index.Manifests);
                    annotations = index.Annotations;
                }
                catch (ContentFormatException e)
                {
                    throw new ImageToolsException(ErrorId.MalformedContent, e.Message + $" The referrers {referrers} are not added to it.", tag, api.Describe(tag, manifest: true), e);
                }
            }
            int count = 0;
            foreach (var d in added)
            {
                if (entries.Any(e => e.Digest == d.Digest)) continue;
                entries.Add(d);
                count++;
            }
            if (count > 0) destination.PutManifest(tag, ContentJson.SerializeIndex(entries, annotations), MediaTypes.OciIndex, cancel);
            return count;
        }

        /// <summary>The round trip: the manifest fetched back by digest (GetManifest digests its bytes), and the tag naming or listing it.</summary>
        private static void Verify(RegistryUpload destination, PushedReferrer pushed, CancellationToken cancel)
        {
            var api = destination.Api;
            var digest = pushed.Manifest.Digest;
            if (api.GetManifest(digest.ToString(), cancel) == null)
                throw new ImageToolsException(ErrorId.BlobNotFound, $"The registry {api.Client.Host} does not serve the referrer {digest} just pushed to {api.Repository}.", digest.ToString(), api.Client.Host);
            if (pushed.Tag == null) return;
            var tagged = api.GetManifest(pushed.Tag, cancel);
            bool holds = tagged != null && (tagged.Digest == digest
                || MediaTypes.IsIndex(tagged.MediaType) && ImageIndex.Parse(tagged.Bytes, pushed.Tag).Manifests.Any(d => d.Digest == digest));
            if (!holds)
                throw new ImageToolsException(ErrorId.DigestMismatch,
                    $"The tag {api.Repository}:{pushed.Tag} at {api.Client.Host} does not name or list the referrer {digest} after it was pushed (another client may have changed it).", pushed.Tag, api.Client.Host);
        }

        private static string MediaTypeOf(Descriptor d, byte[] bytes) =>
            string.IsNullOrEmpty(d.MediaType) ? RegistryPush.MediaTypeOf(bytes) : d.MediaType;

        private static T ParseOrThrow<T>(Func<T> parse, string what, IImageStore source)
        {
            try { return parse(); }
            catch (ContentFormatException e) { throw new ImageToolsException(ErrorId.MalformedContent, e.Message, what, source.Location, e); }
        }
    }
}
