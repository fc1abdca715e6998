using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ImageTools.Stores.Docker;

namespace ImageTools.Commands
{
    /// <summary>
    /// Completes a container parameter with the names of the containers of the Docker data root -Path names, as docker
    /// ps -a lists them, and with their ids once a first character is typed.
    /// </summary>
    public sealed class DockerContainerCompleter : StoreCompleter
    {
        internal override IEnumerable<string>? Values(IDictionary bound, string word)
        {
            var containers = CompletionInput.DockerRootOf(bound)?.Containers;
            if (containers == null) return null;
            var names = containers.Select(c => c.Name!);
            // ids would bury the names under 64-hex strings on an empty word
            return word.Trim('\'', '"').Length == 0 ? names : names.Concat(containers.Select(c => c.Id));
        }
    }

    /// <summary>Completes -Id of Get-OverlayDirectory with the folder names of the driver's directory (overlay2/, vfs/dir/), l/ left out: one directory listing.</summary>
    public sealed class OverlayDirectoryIdCompleter : StoreCompleter
    {
        internal override IEnumerable<string>? Values(IDictionary bound, string word)
        {
            var path = CompletionInput.StorePath(bound);
            if (path == null || !DockerRootStore.Recognize(path)) return null;
            var ids = new List<string>();
            string overlay = Path.Combine(path, "overlay2"), vfs = Path.Combine(path, "vfs", "dir");
            if (Directory.Exists(overlay)) ids.AddRange(Directory.EnumerateDirectories(overlay).Select(d => Path.GetFileName(d)).Where(n => n != "l"));
            if (Directory.Exists(vfs)) ids.AddRange(Directory.EnumerateDirectories(vfs).Select(d => Path.GetFileName(d)));
            return ids;
        }
    }

    /// <summary>Completes -Id of Get-DockerLayer with the layers' ChainIDs (layerdb/sha256), the hex alone once hex is typed.</summary>
    public sealed class DockerLayerIdCompleter : StoreCompleter
    {
        internal override IEnumerable<string>? Values(IDictionary bound, string word)
        {
            var root = CompletionInput.DockerRootOf(bound);
            return root == null ? null : CompletionInput.DigestTexts(root.Layers.Select(l => l.ChainId.ToString()), word);
        }
    }

    /// <summary>
    /// Completes -ImageId of Get-OverlayDirectory with the images' names as docker images lists them, and with their
    /// image IDs once a first character is typed (the hex alone once hex is typed).
    /// </summary>
    public sealed class DockerImageIdCompleter : StoreCompleter
    {
        internal override IEnumerable<string>? Values(IDictionary bound, string word)
        {
            var root = CompletionInput.DockerRootOf(bound);
            if (root == null) return null;
            var images = root.Images.ToList();
            var names = images.SelectMany(i => i.RepoTags);
            return word.Trim('\'', '"').Length == 0 ? names : names.Concat(CompletionInput.DigestTexts(images.Select(i => i.Id), word));
        }
    }
}
