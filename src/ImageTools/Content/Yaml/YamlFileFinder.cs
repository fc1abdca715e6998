using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace ImageTools.Content.Yaml
{
    /// <summary>The <c>*.yaml</c> and <c>*.yml</c> files under a folder, in a stable order (files, then subfolders, ordinal).</summary>
    internal static class YamlFileFinder
    {
        /// <summary>
        /// Walks <paramref name="folder"/> depth first. Symbolic links to folders are not followed (no loops);
        /// a folder that cannot be read is passed to <paramref name="onError"/> and skipped.
        /// </summary>
        public static IEnumerable<string> Find(string folder, Action<string, Exception> onError)
        {
            var pending = new Stack<string>();
            pending.Push(folder);
            while (pending.Count > 0)
            {
                string current = pending.Pop();
                string[] files, folders;
                try
                {
                    var info = new DirectoryInfo(current);
                    var entries = info.GetFileSystemInfos();
                    files = entries.Where(e => !(e is DirectoryInfo) && IsYaml(e.Name)).Select(e => e.FullName).OrderBy(n => n, StringComparer.Ordinal).ToArray();
                    folders = entries.OfType<DirectoryInfo>().Where(d => (d.Attributes & FileAttributes.ReparsePoint) == 0)
                        .Select(d => d.FullName).OrderBy(n => n, StringComparer.Ordinal).ToArray();
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    onError(current, e);
                    continue;
                }
                foreach (var file in files) yield return file;
                for (int i = folders.Length - 1; i >= 0; i--) pending.Push(folders[i]);
            }
        }

        public static bool IsYaml(string name) =>
            name.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);
    }
}
