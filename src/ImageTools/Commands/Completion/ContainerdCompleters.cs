using System.Collections;
using System.Collections.Generic;
using System.Linq;
using ImageTools.Stores.Containerd;

namespace ImageTools.Commands
{
    /// <summary>Completes -Namespace with the namespaces of the containerd root -Path names (meta.db's v1 bucket only).</summary>
    public sealed class ContainerdNamespaceCompleter : StoreCompleter
    {
        internal override IEnumerable<string>? Values(IDictionary bound, string word) => CompletionInput.Containerd(bound)?.NamespaceNames();
    }

    /// <summary>Completes -Key with the snapshot keys of the namespaces typed (all when none), as ctr snapshots ls lists them.</summary>
    public sealed class ContainerdSnapshotKeyCompleter : StoreCompleter
    {
        internal override IEnumerable<string>? Values(IDictionary bound, string word)
        {
            var metadata = CompletionInput.Containerd(bound);
            if (metadata == null) return null;
            var snapshotters = CompletionInput.Strings(bound, "Snapshotter");
            return new ContainerdSnapshotReader(metadata)
                .Read(CompletionInput.Namespaces(metadata, bound), s => ContainerdCmdlet.MatchesAny(snapshotters, s), _ => { })
                .Select(s => s.Key!);
        }
    }

    /// <summary>Completes -Id with the container ids of the namespaces typed (all when none), as ctr containers ls lists them.</summary>
    public sealed class ContainerdContainerIdCompleter : StoreCompleter
    {
        internal override IEnumerable<string>? Values(IDictionary bound, string word)
        {
            var metadata = CompletionInput.Containerd(bound);
            if (metadata == null) return null;
            var reader = new ContainerdRecordReader(metadata);
            return CompletionInput.Namespaces(metadata, bound).SelectMany(ns => reader.Containers(ns, null, _ => { })).Select(c => c.Id);
        }
    }

    /// <summary>Completes -Digest with the content digests of the namespaces typed (all when none), as ctr content ls lists them; the hex alone once hex is typed.</summary>
    public sealed class ContainerdContentDigestCompleter : StoreCompleter
    {
        internal override IEnumerable<string>? Values(IDictionary bound, string word)
        {
            var metadata = CompletionInput.Containerd(bound);
            if (metadata == null) return null;
            var reader = new ContainerdContentReader(metadata);
            return CompletionInput.DigestTexts(CompletionInput.Namespaces(metadata, bound).SelectMany(ns => reader.Read(ns, _ => { })).Select(c => c.Digest), word);
        }
    }

    /// <summary>Completes -Id with the lease ids of the namespaces typed (all when none), as ctr leases ls lists them.</summary>
    public sealed class ContainerdLeaseIdCompleter : StoreCompleter
    {
        internal override IEnumerable<string>? Values(IDictionary bound, string word)
        {
            var metadata = CompletionInput.Containerd(bound);
            if (metadata == null) return null;
            var reader = new ContainerdRecordReader(metadata);
            return CompletionInput.Namespaces(metadata, bound).SelectMany(ns => reader.Leases(ns, _ => { })).Select(l => l.Id);
        }
    }
}
