using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using ImageTools.Oci;
using ImageTools.Stores;
using ImageTools.Stores.Registry;

namespace ImageTools.Referrers
{
    /// <summary>
    /// The referrers an image has in an offline store, in the order of the mechanisms: the fallback tag, cosign's
    /// tags, manifests with a subject, BuildKit attestation manifests. Tags and subjects are looked for in the
    /// image's repository: in registry storage the repository's tags and revisions; in the other stores (layouts,
    /// archives, containerd) the names table (a name with that tag in the image's repository, or the bare tag as
    /// an index.json ref.name) and every manifest reachable from it.
    /// </summary>
    public sealed class StoreReferrerSource : IReferrerSource
    {
        private static readonly ConditionalWeakTable<IImageStore, Dictionary<string, SubjectIndex>> Indexes =
            new ConditionalWeakTable<IImageStore, Dictionary<string, SubjectIndex>>();

        private readonly IImageStore _store;
        private readonly IReferrerTagLookup _tags;
        private readonly string _scope;
        private readonly Func<Action<Exception>, IEnumerable<Descriptor>> _roots;

        /// <param name="store">The store the image is in.</param>
        /// <param name="repository">The image's repository as the store records it (registry storage), or its normalized reference's repository; null for an image without a name.</param>
        public StoreReferrerSource(IImageStore store, string? repository)
        {
            _store = store;
            if (store is RegistryStore registry)
            {
                var repo = registry.Repositories.FirstOrDefault(r => r.Name == repository);
                _scope = repository ?? "";
                _tags = new RepositoryTags(registry, repo);
                _roots = onError => repo == null ? Enumerable.Empty<Descriptor>() : RevisionRoots(registry, repo, onError);
            }
            else
            {
                _scope = "";
                _tags = new NameTableTags(store, repository);
                _roots = _ => store.Images.Select(n => n.Root);
            }
        }

        public IEnumerable<FoundReferrer> Find(Descriptor subject, Action<Exception> onError)
        {
            var set = new ReferrerSet();
            set.AddRange(TaggedReferrers.Find(_store, _tags, subject.Digest, onError));
            set.AddRange(SubjectIndexOf(onError).Of(subject.Digest));
            return set.Found;
        }

        private SubjectIndex SubjectIndexOf(Action<Exception> onError)
        {
            var byScope = Indexes.GetValue(_store, _ => new Dictionary<string, SubjectIndex>());
            lock (byScope)
            {
                if (!byScope.TryGetValue(_scope, out var index))
                    byScope[_scope] = index = new SubjectIndex(_store, _roots(onError), onError);
                return index;
            }
        }

        private static IEnumerable<Descriptor> RevisionRoots(RegistryStore registry, RegistryRepositoryContents repo, Action<Exception> onError)
        {
            var roots = new List<Descriptor>();
            foreach (var digest in repo.Revisions.Select(r => r.Digest).Concat(repo.Tags.Select(t => t.Current)).Distinct())
            {
                try { roots.Add(registry.ReadManifest(digest).ToDescriptor()); }
                catch (ImageToolsException e) { onError(e); }
            }
            return roots;
        }

        /// <summary>Tags of one repository of registry storage.</summary>
        private sealed class RepositoryTags : IReferrerTagLookup
        {
            private readonly RegistryStore _registry;
            private readonly RegistryRepositoryContents? _repo;

            public RepositoryTags(RegistryStore registry, RegistryRepositoryContents? repo)
            {
                _registry = registry;
                _repo = repo;
            }

            public Descriptor? FindTag(string tag)
            {
                var found = _repo?.Tags.FirstOrDefault(t => t.Name == tag);
                return found == null ? null : _registry.ReadManifest(found.Current).ToDescriptor();
            }
        }

        /// <summary>Tags as a names table holds them: <c>repository:tag</c> in the image's repository, or the tag alone (a ref.name of index.json).</summary>
        private sealed class NameTableTags : IReferrerTagLookup
        {
            private readonly IImageStore _store;
            private readonly string? _repository;

            public NameTableTags(IImageStore store, string? repository)
            {
                _store = store;
                _repository = repository;
            }

            public Descriptor? FindTag(string tag)
            {
                var images = _store.Images;
                var named = _repository == null ? null
                    : images.FirstOrDefault(n => n.Reference != null && n.Reference.Tag == tag && n.Reference.Repository == _repository);
                named ??= images.FirstOrDefault(n => n.Name == tag);
                return named?.Root;
            }
        }
    }
}
