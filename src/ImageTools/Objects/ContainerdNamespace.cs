using System;
using System.Collections.Generic;

namespace ImageTools
{
    /// <summary>A namespace of a containerd root, with counts of what it holds.</summary>
    public sealed class ContainerdNamespace
    {
        internal ContainerdNamespace(string name, string root) { Name = name; RootPath = root; }

        public string Name { get; }
        public LabelSet Labels { get; internal set; } = new LabelSet();
        public int ImageCount { get; internal set; }
        public int ContentCount { get; internal set; }
        public int ContainerCount { get; internal set; }
        public int SnapshotCount { get; internal set; }
        public int LeaseCount { get; internal set; }

        /// <summary>The containerd root the namespace was read from.</summary>
        public string RootPath { get; }

        public string LabelText => ContainerdText.Labels(Labels);

        public override string ToString() => Name;
    }
}
