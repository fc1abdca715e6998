using System;
using System.Collections.Generic;

namespace ImageTools
{
    /// <summary>A container record of containerd's metadata (<c>v1/&lt;ns&gt;/containers/&lt;id&gt;</c>), what <c>ctr containers ls</c> lists.</summary>
    public sealed class ContainerdContainer
    {
        internal ContainerdContainer(string ns, string id) { Namespace = ns; Id = id; }

        public string Namespace { get; }
        public string Id { get; }
        public string? Image { get; internal set; }
        public string? Snapshotter { get; internal set; }
        public string? SnapshotKey { get; internal set; }

        /// <summary>The runtime name (io.containerd.runc.v2).</summary>
        public string? Runtime { get; internal set; }

        /// <summary>The protobuf type of the runtime options (containerd.runc.v1.Options).</summary>
        public string? RuntimeOptionsType { get; internal set; }

        /// <summary>The protobuf type of the spec (types.containerd.io/opencontainers/runtime-spec/1/Spec).</summary>
        public string? SpecType { get; internal set; }

        /// <summary>The OCI runtime spec JSON, when the spec is one.</summary>
        public string? Spec { get; internal set; }

        public LabelSet Labels { get; internal set; } = new LabelSet();

        /// <summary>The names of the container's extensions (CRI keeps its metadata there).</summary>
        public ValueList Extensions { get; internal set; } = ValueList.Empty;

        public string? CreatedAt => CreatedAtValue.ToOutput();
        internal DateTimeOffset? CreatedAtValue { get; set; }
        public string? UpdatedAt => UpdatedAtValue.ToOutput();
        internal DateTimeOffset? UpdatedAtValue { get; set; }

        /// <summary>The task's state folder, &lt;state&gt;/io.containerd.runtime.v2.task/&lt;ns&gt;/&lt;id&gt;, when it exists (a task was created).</summary>
        public string? TaskPath { get; internal set; }

        /// <summary>The task's rootfs (the mounted container root), when it exists.</summary>
        public string? RootfsPath { get; internal set; }

        /// <summary>The container's snapshot's folder (snapshots/&lt;id&gt;/fs), when the snapshot is known.</summary>
        public string? SnapshotPath { get; internal set; }

        /// <summary>The CRI kind label (sandbox or container) when CRI made the container.</summary>
        public string? CriKind => Labels.TryGetValue("io.cri-containerd.kind", out var k) ? k : null;

        public override string ToString() => Id;
    }
}
