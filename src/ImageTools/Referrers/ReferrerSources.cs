using ImageTools.Stores;
using ImageTools.Stores.RegistryHttp;

namespace ImageTools.Referrers
{
    /// <summary>The source of the referrers of an image, by where the image is: a registry over HTTP, or any store read offline.</summary>
    public static class ReferrerSources
    {
        /// <param name="store">The image's store.</param>
        /// <param name="repository">The image's repository (see <see cref="StoreReferrerSource"/>); a remote store knows its own.</param>
        /// <param name="artifactType">Asked of a registry's referrers API as a filter; the caller filters what else is found.</param>
        public static IReferrerSource For(IImageStore store, string? repository, string? artifactType = null) =>
            store is RemoteRepositoryStore remote ? new RemoteReferrerSource(remote, artifactType) : (IReferrerSource)new StoreReferrerSource(store, repository);
    }
}
