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
