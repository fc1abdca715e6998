using System;
using System.Collections.Generic;
using System.Linq;
using ImageTools.Graph;
using ImageTools.Oci;
using ImageTools.Stores;

namespace ImageTools.Referrers
{
    /// <summary>
    /// Which manifests of a store refer to which digest, read once: the manifests with a <c>subject</c>, and the
    /// BuildKit attestation manifests of every index (their entry's <c>vnd.docker.reference.digest</c>). Built from
    /// a set of root descriptors (a layout's index.json, a registry repository's revisions), following every index.
    /// </summary>
    public sealed class SubjectIndex
    {
        private readonly Dictionary<Digest, List<FoundReferrer>> _bySubject = new Dictionary<Digest, List<FoundReferrer>>();

        public SubjectIndex(IImageStore store, IEnumerable<Descriptor> roots, Action<Exception> onError)
        {
            var graph = StoreGraph.Of(store);
            var seen = new HashSet<Digest>();
            var stack = new Stack<(Descriptor, int)>(roots.Reverse().Select(r => (r, 0)));
            while (stack.Count > 0)
            {
                var (d, depth) = stack.Pop();
                if (!seen.Add(d.Digest) || depth > StoreGraph.MaxDepth) continue;
                if (!MediaTypes.IsIndex(d.MediaType) && !MediaTypes.IsManifest(d.MediaType) && !string.IsNullOrEmpty(d.MediaType)) continue;
                try
                {
                    if (graph.IsIndex(d))
                    {
                        var index = graph.Index(d);
                        foreach (var child in index.Manifests)
                        {
                            if (AttestationManifests.Is(child, out var about))
                            {
                                if (about != null) Add(about, new FoundReferrer(child, about, ReferrerFoundBy.BuildKitAttestation, store));
                                else onError(new ImageToolsException(ErrorId.InvalidDigest,
                                    $"Index {d.Digest} in {store.Location} lists the attestation manifest {child.Digest}, whose {ReferrerMediaTypes.DockerReferenceDigest} annotation ('{DisplayText.Escape(child.Annotation(ReferrerMediaTypes.DockerReferenceDigest) ?? "")}') is not a digest: it is about no manifest.",
                                    child.Digest.ToString(), store.DescribeBlob(d.Digest)));
                            }
                            stack.Push((child, depth + 1));
                        }
                        continue;
                    }
                    var manifest = graph.Manifest(d);
                    if (manifest.Subject != null)
                        Add(manifest.Subject.Digest, new FoundReferrer(AsListed(d, manifest), manifest.Subject.Digest, ReferrerFoundBy.Subject, store));
                }
                catch (Exception e) when (ExpectedFailures.IsExpected(e)) { onError(e); }
            }
        }

        /// <summary>The referrers of a digest this index knows, subject manifests first.</summary>
        public IReadOnlyList<FoundReferrer> Of(Digest subject) =>
            _bySubject.TryGetValue(subject, out var list) ? list : (IReadOnlyList<FoundReferrer>)Array.Empty<FoundReferrer>();

        /// <summary>The descriptor as the referrers API lists a manifest: with its artifact type and annotations.</summary>
        private static Descriptor AsListed(Descriptor d, ImageManifest m) =>
            new Descriptor(d.MediaType.Length > 0 ? d.MediaType : m.MediaType ?? MediaTypes.OciManifest, d.Digest, d.Size,
                m.Annotations.Count > 0 ? m.Annotations : d.Annotations, null, null, ReferrerClassifier.ArtifactTypeOf(m, d));

        private void Add(Digest subject, FoundReferrer referrer)
        {
            if (!_bySubject.TryGetValue(subject, out var list)) _bySubject[subject] = list = new List<FoundReferrer>();
            if (!list.Any(r => r.Descriptor.Digest == referrer.Descriptor.Digest && r.FoundBy == referrer.FoundBy)) list.Add(referrer);
        }
    }
}
