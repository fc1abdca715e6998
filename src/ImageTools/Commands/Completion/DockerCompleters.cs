using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using ImageTools.Stores.Docker;

namespace ImageTools.Commands
{
    /// <summary>
    /// Completes a container parameter with the names of the containers of the Docker data root -Path names, as docker
    /// ps -a lists them, and with their ids once a first character is typed.
    /// </summary>
    public sealed class DockerContainerCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            CompletionInput.Safely(() =>
            {
                var path = CompletionInput.StorePath(fakeBoundParameters);
                if (path == null || !DockerRootStore.Recognize(path)) return null;
                var kind = DockerRoot.Examine(path);
                if (kind.UsesContainerdImageStore) return null;
                var containers = DockerRoot.Open(kind).Containers;
                var names = containers.Select(c => c.Name!);
                // ids would bury the names under 64-hex strings on an empty word
                return string.IsNullOrEmpty(wordToComplete) ? names : names.Concat(containers.Select(c => c.Id));
            }, wordToComplete);
    }

    /// <summary>Completes -Id of Get-OverlayDirectory with the folder names of the driver's directory (overlay2/, vfs/dir/), l/ left out: one directory listing.</summary>
    public sealed class OverlayDirectoryIdCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            CompletionInput.Safely(() =>
            {
                var path = CompletionInput.StorePath(fakeBoundParameters);
                if (path == null || !DockerRootStore.Recognize(path)) return null;
                var ids = new List<string>();
                foreach (var driverRoot in new[] { Path.Combine(path, "overlay2"), Path.Combine(path, "vfs", "dir") })
                    if (Directory.Exists(driverRoot))
                        ids.AddRange(Directory.EnumerateDirectories(driverRoot).Select(d => Path.GetFileName(d)).Where(n => n != "l" || !driverRoot.EndsWith("overlay2")));
                return ids;
            }, wordToComplete);
    }
}
