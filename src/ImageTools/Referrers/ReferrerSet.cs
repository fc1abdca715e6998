using System.Collections.Generic;
using ImageTools.Oci;

namespace ImageTools.Referrers
{
    /// <summary>Referrers gathered from several mechanisms, each (subject, digest) once: the first mechanism to find one is the one reported.</summary>
    public sealed class ReferrerSet
    {
        private readonly HashSet<(Digest, Digest)> _seen = new HashSet<(Digest, Digest)>();
        private readonly List<FoundReferrer> _found = new List<FoundReferrer>();

        public IReadOnlyList<FoundReferrer> Found => _found;

        /// <summary>True when the referrer was new.</summary>
        public bool Add(FoundReferrer referrer)
        {
            if (!_seen.Add((referrer.Subject, referrer.Descriptor.Digest))) return false;
            _found.Add(referrer);
            return true;
        }

        public void AddRange(IEnumerable<FoundReferrer> referrers)
        {
            foreach (var r in referrers) Add(r);
        }
    }
}
