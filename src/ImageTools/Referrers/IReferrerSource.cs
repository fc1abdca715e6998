using System;
using System.Collections.Generic;
using ImageTools.Oci;

namespace ImageTools.Referrers
{
    /// <summary>
    /// A source of the referrers of a digest: an offline store (<see cref="StoreReferrerSource"/>) or a registry over
    /// HTTP (the referrers API, then the same tags). Each source scopes itself to one repository (the image's).
    /// </summary>
    public interface IReferrerSource
    {
        /// <summary>
        /// The referrers of <paramref name="subject"/> this source knows, in the order of the mechanisms
        /// (<see cref="ReferrerFoundBy"/>); the same digest may come from several mechanisms (<see cref="ReferrerSet"/>
        /// keeps the first). What cannot be read is passed to <paramref name="onError"/> and the rest is still listed.
        /// </summary>
        IEnumerable<FoundReferrer> Find(Descriptor subject, Action<Exception> onError);
    }

    /// <summary>The tags of one repository, as a source of referrers reads them (a layout's names, registry storage's tags, a registry over HTTP).</summary>
    public interface IReferrerTagLookup
    {
        /// <summary>The descriptor a tag points at in the subject's repository, or null when there is no such tag.</summary>
        Descriptor? FindTag(string tag);
    }
}

namespace ImageTools.Referrers
{
    /// <summary>
    /// A store that finds referrers its own way (a registry over HTTP: the referrers API, then the tags); the other
    /// stores are read by <see cref="StoreReferrerSource"/>.
    /// </summary>
    public interface IHasReferrerSource
    {
        /// <param name="repository">The image's repository (normalized reference repository, or as the store records it).</param>
        IReferrerSource ReferrerSource(string? repository);
    }

    /// <summary>Which source finds the referrers of an image in a store: a registry over HTTP (<see cref="RemoteReferrerSource"/>), a store with its own, else <see cref="StoreReferrerSource"/>.</summary>
    public static class ReferrerSources
    {
        /// <summary>The referrers of an image, in its store and repository.</summary>
        /// <param name="image">The image.</param>
        /// <param name="artifactType">Asked of a registry's referrers API as <c>?artifactType=</c>; the caller still filters what is found.</param>
        public static IReferrerSource For(Image image, string? artifactType = null) => For(image.Store, RepositoryOf(image), artifactType);

        /// <summary>The repository the referrer tags of an image are looked for in: as registry storage records it, else the normalized reference's.</summary>
        public static string? RepositoryOf(Image image)
        {
            if (image.Store.Kind == Stores.StoreKind.Registry) return image.Repository;
            return Oci.ImageReference.TryParse(image.RecordedName, out var r) ? r!.Repository : null;
        }

        /// <param name="store">The image's store.</param>
        /// <param name="repository">The image's repository; a registry over HTTP knows its own.</param>
        /// <param name="artifactType">Asked of a registry's referrers API as <c>?artifactType=</c>; the caller still filters what is found.</param>
        public static IReferrerSource For(Stores.IImageStore store, string? repository, string? artifactType = null) =>
            store is Stores.RegistryHttp.RemoteRepositoryStore remote ? new RemoteReferrerSource(remote, artifactType)
            : store is IHasReferrerSource own ? own.ReferrerSource(repository) : new StoreReferrerSource(store, repository);
    }
}
