using System.Collections.Generic;
using ImageTools.Content;
using ImageTools.Oci;

namespace ImageTools.Export.Unpack
{
    /// <summary>The content of a regular file, shared by all the hard links to it (an inode).</summary>
    internal sealed class FileContent
    {
        public FileContent(TreeNode first, long size) { First = first; Size = size; }

        /// <summary>The name the content was written under first.</summary>
        public TreeNode First { get; }
        public long Size { get; }
        public Digest? Digest { get; set; }
    }

    /// <summary>One path of the merged tree: its entry, and its children when it is a folder.</summary>
    internal sealed class TreeNode
    {
        public TreeNode(string name, TreeNode? parent, FileSystemEntry? entry)
        {
            Name = name;
            Parent = parent;
            Entry = entry;
            RelativePath = parent == null || parent.RelativePath.Length == 0 ? name : parent.RelativePath + "/" + name;
        }

        public string Name { get; }
        public TreeNode? Parent { get; }

        /// <summary>Null only for the root.</summary>
        public FileSystemEntry? Entry { get; set; }

        /// <summary>The clean path from the root without a leading slash ("" for the root).</summary>
        public string RelativePath { get; }

        public Dictionary<string, TreeNode>? Children { get; set; }
        public FileContent? Content { get; set; }

        /// <summary>Removed from the tree by a later entry, whiteout or opaque marker.</summary>
        public bool Detached { get; set; }

        /// <summary>The type the layer tar gave this path (Hardlink stays Hardlink here).</summary>
        public TarEntryType TarType { get; set; }

        public bool IsDirectory => Entry == null || Entry.TypeValue == TarEntryType.Directory;
        public int Layer => Entry?.LayerIndex ?? -1;

        public override string ToString() => "/" + RelativePath;
    }
}
