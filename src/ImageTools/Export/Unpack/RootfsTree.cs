using System;
using System.Collections.Generic;
using ImageTools.Content;
using ImageTools.Oci;

namespace ImageTools.Export.Unpack
{
    /// <summary>What applying one tar entry did to the tree, for an unpacker to repeat on disk.</summary>
    internal sealed class TreeChange
    {
        /// <summary>Subtrees taken out (whiteouts, opaque folders, replaced paths), in order; delete them first.</summary>
        public List<TreeNode> Removed { get; } = new List<TreeNode>();

        /// <summary>Folders made for the entry's parent path because no entry made them, outermost first.</summary>
        public List<TreeNode> ImplicitFolders { get; } = new List<TreeNode>();

        /// <summary>The node the entry wrote (null for whiteouts and skipped entries).</summary>
        public TreeNode? Written { get; set; }

        /// <summary>True when the entry was a folder that already existed (only its metadata changes).</summary>
        public bool UpdatedFolder { get; set; }

        /// <summary>For a hard link: the existing node it links to.</summary>
        public TreeNode? LinkTo { get; set; }
    }

    /// <summary>
    /// The merged filesystem of an image built layer by layer, with the OCI rules: a later entry replaces an earlier
    /// one at the same path (a folder over a folder only updates it), <c>.wh.NAME</c> removes NAME of lower layers,
    /// <c>.wh..wh..opq</c> empties a folder of what lower layers put there. Parent paths resolve through the symlinks
    /// already in the tree, as an unpacker writing through them would; an entry that is absolute, climbs out with
    /// '..', or whose parent goes through a symlink whose target is absolute or climbs out of the root is refused
    /// (<see cref="ErrorId.UnsafeEntryPath"/>), so nothing resolved here can name a place outside the root.
    /// </summary>
    internal sealed class RootfsTree
    {
        private const int MaxSymlinkHops = 40;

        public TreeNode Root { get; } = new TreeNode("", null, null) { Children = new Dictionary<string, TreeNode>(StringComparer.Ordinal) };

        /// <summary>Called for each regular file a later entry hides, with the layer that hides it.</summary>
        public Action<TreeNode, int>? OnHidden { get; set; }

        /// <summary>Where the layer comes from, for error messages.</summary>
        public string Location { get; set; } = "";

        public TreeChange Apply(TarEntry e, int layer, Digest layerDigest)
        {
            var change = new TreeChange();
            string? clean = EntryPath.Clean(e.Name, out var reason);
            if (clean == null) throw Unsafe(e.Name, reason!);
            if (clean.Length == 0) return change;
            if (e.Type == TarEntryType.Other)
                throw new ImageToolsException(ErrorId.MalformedContent,
                    $"Entry '{e.Name}' of {Location} has tar type '{e.TypeFlag}', which a root filesystem cannot hold; skipped.", e.Name, Location);

            if (Whiteout.IsOpaque(clean))
            {
                var folder = ResolveFolder(Whiteout.DirName(clean), e.Name, layer, layerDigest, null);
                if (folder != null) Prune(folder, layer, change);
                return change;
            }
            string? hidden = Whiteout.HiddenPath(clean);
            if (hidden != null)
            {
                var parent = ResolveFolder(Whiteout.DirName(hidden), e.Name, layer, layerDigest, null);
                if (parent?.Children != null && parent.Children.TryGetValue(Whiteout.BaseName(hidden), out var victim) && victim.Layer < layer)
                    Remove(victim, layer, change);
                return change;
            }

            var dir = ResolveFolder(Whiteout.DirName(clean), e.Name, layer, layerDigest, change)!;
            string name = Whiteout.BaseName(clean);
            dir.Children!.TryGetValue(name, out var existing);

            TreeNode? linkTo = null;
            if (e.Type == TarEntryType.Hardlink)
            {
                linkTo = ResolveLinkTarget(e);
                if (linkTo == existing) return change; // GNU tar's hard link of a file to itself
            }

            if (existing != null && e.Type == TarEntryType.Directory && existing.IsDirectory)
            {
                existing.Entry = NewEntry(existing, e, TarEntryType.Directory, layer, layerDigest);
                existing.TarType = TarEntryType.Directory;
                change.Written = existing;
                change.UpdatedFolder = true;
                return change;
            }
            if (existing != null) Remove(existing, layer, change);

            var node = new TreeNode(name, dir, null);
            node.TarType = e.Type;
            var type = e.Type == TarEntryType.Hardlink ? (linkTo!.Entry!.TypeValue == TarEntryType.Hardlink ? TarEntryType.File : linkTo.Entry.TypeValue) : e.Type;
            node.Entry = NewEntry(node, e, type, layer, layerDigest);
            if (e.Type == TarEntryType.Directory) node.Children = new Dictionary<string, TreeNode>(StringComparer.Ordinal);
            else if (e.Type == TarEntryType.File) node.Content = new FileContent(node, e.Size);
            else if (linkTo != null)
            {
                node.Content = linkTo.Content;
                node.Entry.TypeValue = linkTo.Entry!.TypeValue == TarEntryType.File ? TarEntryType.Hardlink : linkTo.Entry.TypeValue;
                if (linkTo.Entry.TypeValue == TarEntryType.Symlink) node.Entry.LinkTarget = linkTo.Entry.LinkTarget;
            }
            dir.Children[name] = node;
            change.Written = node;
            change.LinkTo = linkTo;
            return change;
        }

        private static FileSystemEntry NewEntry(TreeNode node, TarEntry e, TarEntryType type, int layer, Digest layerDigest)
        {
            var entry = new FileSystemEntry("/" + node.RelativePath, e, type, layer, layerDigest);
            if (type == TarEntryType.Symlink) entry.LinkTarget = e.LinkName;
            if (type == TarEntryType.File) entry.Size = e.Size;
            return entry;
        }

        /// <summary>Looks a clean path up without creating anything; its parent resolves through symlinks, its last component does not.</summary>
        public TreeNode? Find(string clean)
        {
            if (clean.Length == 0) return Root;
            TreeNode? dir;
            try { dir = ResolveFolder(Whiteout.DirName(clean), clean, int.MaxValue, null, null); }
            catch (ImageToolsException) { return null; }
            return dir?.Children != null && dir.Children.TryGetValue(Whiteout.BaseName(clean), out var n) ? n : null;
        }

        private TreeNode ResolveLinkTarget(TarEntry e)
        {
            string? target = EntryPath.Clean(e.LinkName, out var reason);
            if (target == null) throw Unsafe(e.Name, $"it is a hard link to '{e.LinkName}', and {reason}");
            var parent = ResolveFolder(Whiteout.DirName(target), e.Name, int.MaxValue, null, null);
            TreeNode? node = null;
            if (target.Length > 0 && parent?.Children != null) parent.Children.TryGetValue(Whiteout.BaseName(target), out node);
            if (node == null || node.IsDirectory)
                throw new ImageToolsException(ErrorId.MalformedContent,
                    $"Entry '{e.Name}' of {Location} is a hard link to '{e.LinkName}', which {(node == null ? "does not exist" : "is a folder")} at that point; skipped.", e.Name, Location);
            return node;
        }

        /// <summary>
        /// The folder node a clean folder path names, following symlinks already in the tree. With
        /// <paramref name="change"/> missing folders are made (implicit); without, a missing one gives null.
        /// </summary>
        private TreeNode? ResolveFolder(string folder, string entryName, int layer, Digest? layerDigest, TreeChange? change)
        {
            var pending = new List<string>(folder.Length == 0 ? Array.Empty<string>() : folder.Split('/'));
            var cur = Root;
            int hops = 0;
            for (int i = 0; i < pending.Count; i++)
            {
                string part = pending[i];
                if (!cur.Children!.TryGetValue(part, out var child))
                {
                    if (change == null) return null;
                    child = new TreeNode(part, cur, null) { Children = new Dictionary<string, TreeNode>(StringComparer.Ordinal), TarType = TarEntryType.Directory };
                    child.Entry = new FileSystemEntry("/" + child.RelativePath, layer, layerDigest!);
                    cur.Children[part] = child;
                    change.ImplicitFolders.Add(child);
                }
                if (child.IsDirectory) { cur = child; continue; }
                if (child.Entry!.TypeValue == TarEntryType.Symlink)
                {
                    string target = child.Entry.LinkTarget ?? "";
                    if (target.StartsWith("/", StringComparison.Ordinal))
                        throw Unsafe(entryName, $"its parent '/{child.RelativePath}' is a symlink to the absolute path '{target}', and writing through it could leave the destination");
                    string? resolved = EntryPath.ResolveLink(child.RelativePath, target);
                    if (resolved == null)
                        throw Unsafe(entryName, $"its parent '/{child.RelativePath}' is a symlink to '{target}', which leads out of the root");
                    if (++hops > MaxSymlinkHops)
                        throw new ImageToolsException(ErrorId.MalformedContent, $"Entry '{entryName}' of {Location} goes through more than {MaxSymlinkHops} symlinks; skipped.", entryName, Location);
                    var rest = pending.GetRange(i + 1, pending.Count - i - 1);
                    pending = new List<string>(resolved.Length == 0 ? Array.Empty<string>() : resolved.Split('/'));
                    pending.AddRange(rest);
                    cur = Root;
                    i = -1;
                    continue;
                }
                throw new ImageToolsException(ErrorId.MalformedContent,
                    $"Entry '{entryName}' of {Location} needs '/{child.RelativePath}' to be a folder, but it is a {child.Entry.Type}; skipped.", entryName, Location);
            }
            return cur;
        }

        /// <summary>Takes out everything under a folder that came from layers below <paramref name="layer"/>.</summary>
        private void Prune(TreeNode folder, int layer, TreeChange change)
        {
            if (folder.Children == null) return;
            foreach (var child in new List<TreeNode>(folder.Children.Values))
            {
                if (child.Layer < layer) Remove(child, layer, change);
                else if (child.Children != null) Prune(child, layer, change);
            }
        }

        private void Remove(TreeNode node, int byLayer, TreeChange change)
        {
            node.Parent!.Children!.Remove(node.Name);
            change.Removed.Add(node);
            Detach(node, byLayer);
        }

        private void Detach(TreeNode node, int byLayer)
        {
            node.Detached = true;
            if (node.TarType == TarEntryType.File && node.Content != null) OnHidden?.Invoke(node, byLayer);
            if (node.Children != null) foreach (var c in node.Children.Values) Detach(c, byLayer);
        }

        private ImageToolsException Unsafe(string entry, string reason) =>
            new ImageToolsException(ErrorId.UnsafeEntryPath, $"Entry '{entry}' of {Location} is refused: {reason}.", entry, Location);

        /// <summary>Every node of the tree below the root, each folder's children in ordinal order, parents first.</summary>
        public IEnumerable<TreeNode> Walk()
        {
            var stack = new Stack<TreeNode>();
            stack.Push(Root);
            while (stack.Count > 0)
            {
                var n = stack.Pop();
                if (n != Root) yield return n;
                if (n.Children == null || n.Children.Count == 0) continue;
                var names = new List<string>(n.Children.Keys);
                names.Sort(StringComparer.Ordinal);
                for (int i = names.Count - 1; i >= 0; i--) stack.Push(n.Children[names[i]]);
            }
        }
    }
}
