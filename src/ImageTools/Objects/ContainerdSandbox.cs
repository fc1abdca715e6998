using System;
using System.Collections.Generic;

namespace ImageTools
{
    /// <summary>
    /// A CRI pod sandbox as the files show it: the sandbox (pause) container that CRI records in the metadata
    /// (label io.cri-containerd.kind=sandbox), a record of the sandboxes bucket (containerd 1.7+), and the folders
    /// &lt;root&gt;/io.containerd.grpc.v1.cri/sandboxes/&lt;id&gt; and &lt;state&gt;/io.containerd.grpc.v1.cri/sandboxes/&lt;id&gt;.
    /// </summary>
    public sealed class ContainerdSandbox
    {
        internal ContainerdSandbox(string id) { Id = id; }

        public string Id { get; }

        /// <summary>The namespace of the sandbox's metadata, when the metadata knows it.</summary>
        public string? Namespace { get; internal set; }

        /// <summary>The sandbox container's image (the pause image), when there is a sandbox container.</summary>
        public string? Image { get; internal set; }

        public string? CreatedAt => CreatedAtValue.ToOutput();
        internal DateTimeOffset? CreatedAtValue { get; set; }
        public LabelSet Labels { get; internal set; } = new LabelSet();

        /// <summary>True when the metadata has a sandbox container or sandbox record for it.</summary>
        public bool InMetadata { get; internal set; }

        /// <summary>&lt;root&gt;/io.containerd.grpc.v1.cri/sandboxes/&lt;id&gt;, when it exists.</summary>
        public string? RootDirectory { get; internal set; }

        /// <summary>&lt;state&gt;/io.containerd.grpc.v1.cri/sandboxes/&lt;id&gt;, when it exists (hostname, hosts, resolv.conf, shm).</summary>
        public string? StateDirectory { get; internal set; }

        /// <summary>The file names in the sandbox folders.</summary>
        public ValueList Files { get; internal set; } = ValueList.Empty;

        /// <summary>True when a folder exists for a sandbox the metadata does not know (left behind).</summary>
        public bool Leaked => !InMetadata;

        public override string ToString() => Id;
    }
}
