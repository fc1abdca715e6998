using System;
using System.Collections.Generic;

namespace ImageTools
{
    /// <summary>A lease of containerd's metadata (<c>v1/&lt;ns&gt;/leases/&lt;id&gt;</c>): what it keeps from the garbage collector.</summary>
    public sealed class ContainerdLease
    {
        internal ContainerdLease(string ns, string id) { Namespace = ns; Id = id; }

        public string Namespace { get; }
        public string Id { get; }
        public string? CreatedAt => CreatedAtValue.ToOutput();
        internal DateTimeOffset? CreatedAtValue { get; set; }
        public LabelSet Labels { get; internal set; } = new LabelSet();

        /// <summary>containerd.io/gc.expire, when the lease has one.</summary>
        public string? ExpiresAt => ExpiresAtValue.ToOutput();
        internal DateTimeOffset? ExpiresAtValue { get; set; }

        /// <summary>The content digests the lease holds.</summary>
        public ValueList Content { get; internal set; } = ValueList.Empty;

        /// <summary>The snapshots the lease holds, as &lt;snapshotter&gt;/&lt;key&gt;.</summary>
        public ValueList Snapshots { get; internal set; } = ValueList.Empty;

        /// <summary>The ingest refs the lease holds.</summary>
        public ValueList Ingests { get; internal set; } = ValueList.Empty;

        public string LabelText => ContainerdText.Labels(Labels);

        public override string ToString() => Id;
    }
}
