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
            var path = CompletionInput.StorePath(bound);
            if (path == null || !DockerRootStore.Recognize(path)) return null;
            var kind = DockerRoot.Examine(path);
            if (kind.UsesContainerdImageStore) return null;
            var containers = DockerRoot.Open(kind).Containers;
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
}
