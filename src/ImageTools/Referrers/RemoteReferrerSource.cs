using System;
using System.Collections.Generic;
using ImageTools.Oci;
using ImageTools.Stores.RegistryHttp;

namespace ImageTools.Referrers
{
    /// <summary>
    /// The referrers of an image in a repository of a registry over HTTP, in the order of the mechanisms: the
    /// referrers API (<see cref="ReferrersApi"/>; none when the registry answers 404), then the referrers tags as
    /// for any store with tags (<see cref="TaggedReferrers"/>: the fallback tag, cosign's tags), then BuildKit's
    /// attestation manifests and manifests with a subject among those the image's root reaches. Each digest once.
    /// The blobs of what is found are read from the same repository.
    /// </summary>
    public sealed class RemoteReferrerSource : IReferrerSource
    {
        private readonly RemoteRepositoryStore _store;
        private readonly string? _artifactType;
        private SubjectIndex? _subjects;

        /// <param name="store">The image's repository.</param>
        /// <param name="artifactType">Asked of the referrers API as <c>?artifactType=</c> (what the other mechanisms find is filtered by the caller).</param>
        public RemoteReferrerSource(RemoteRepositoryStore store, string? artifactType = null)
        {
            _store = store;
            _artifactType = artifactType;
        }

        public IEnumerable<FoundReferrer> Find(Descriptor subject, Action<Exception> onError)
        {
            var set = new ReferrerSet();
            try
            {
                foreach (var d in new ReferrersApi(_store.Api).List(subject.Digest, _artifactType) ?? Array.Empty<Descriptor>())
                {
                    _store.NoteManifest(d.Digest);
                    set.Add(new FoundReferrer(d, subject.Digest, ReferrerFoundBy.ReferrersApi, _store));
                }
            }
            catch (Exception e) when (ExpectedFailures.IsExpected(e)) { onError(e); }
            set.AddRange(TaggedReferrers.Find(_store, new RemoteTags(_store), subject.Digest, onError));
            _subjects ??= new SubjectIndex(_store, new[] { _store.Images[0].Root }, onError);
            set.AddRange(_subjects.Of(subject.Digest));
            return set.Found;
        }

        /// <summary>The repository's tags, each a GET of its manifest (kept by the store).</summary>
        private sealed class RemoteTags : IReferrerTagLookup
        {
            private readonly RemoteRepositoryStore _store;

            public RemoteTags(RemoteRepositoryStore store)
            {
                _store = store;
            }

            public Descriptor? FindTag(string tag) => _store.FindTag(tag)?.Descriptor;
        }
    }
}
