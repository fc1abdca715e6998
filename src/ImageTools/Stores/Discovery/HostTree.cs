using System;
using System.Collections.Generic;
using System.IO;
using ImageTools.Stores.Docker;

namespace ImageTools.Stores.Discovery
{
    /// <summary>
    /// A host's filesystem seen from a folder: / itself, or a host's disk mounted elsewhere or restored from a backup.
    /// Host paths (/var/lib/docker, a data-root from daemon.json) resolve under the root the way the host's kernel would
    /// resolve them: an absolute symlink target starts again at the root and <c>..</c> never climbs above it, so a
    /// link in a mounted disk never leads into the machine that reads it.
    /// </summary>
    internal sealed class HostTree
    {
        private const int MaxLinks = 40; // Linux's own limit on symlinks followed in one lookup

        public HostTree(string root)
        {
            var full = System.IO.Path.GetFullPath(root);
            Root = full.Length > 1 ? full.TrimEnd('/') : full;
        }

        /// <summary>The folder that stands for the host's /.</summary>
        public string Root { get; }

        /// <summary>The local path of a host path, symlinks resolved under the root.</summary>
        /// <exception cref="ImageToolsException">StoreUnreadable when the path goes through more than 40 symlinks (a loop), as the kernel's ELOOP.</exception>
        public string Resolve(string hostPath)
        {
            var pending = new LinkedList<string>(Split(hostPath));
            var done = new List<string>();
            int links = 0;
            while (pending.Count > 0)
            {
                string part = pending.First!.Value;
                pending.RemoveFirst();
                if (part == "..") { if (done.Count > 0) done.RemoveAt(done.Count - 1); continue; }
                done.Add(part);
                string local = Local(done);
                var st = UnixFile.LStat(local);
                if (st == null || !st.Value.IsSymlink) continue;
                if (++links > MaxLinks)
                    throw new ImageToolsException(ErrorId.StoreUnreadable,
                        $"{hostPath} under {Root} goes through more than {MaxLinks} symlinks (a loop); it is not searched.", hostPath, Root);
                string target = UnixFile.ReadLink(local) ?? "";
                done.RemoveAt(done.Count - 1);
                if (target.StartsWith("/", StringComparison.Ordinal)) done.Clear();
                var parts = Split(target);
                for (int i = parts.Count - 1; i >= 0; i--) pending.AddFirst(parts[i]);
            }
            return Local(done);
        }

        /// <summary>The host path of a local path under the root (/var/lib/docker for &lt;root&gt;/var/lib/docker).</summary>
        public string HostPathOf(string localPath)
        {
            if (Root == "/") return localPath;
            return localPath.Length == Root.Length ? "/" : localPath.Substring(Root.Length);
        }

        /// <summary>The names of the folders directly inside a host folder (the users of /home); none when it is missing.</summary>
        public IEnumerable<string> FolderNames(string hostPath)
        {
            string local = Resolve(hostPath);
            if (!Directory.Exists(local)) yield break;
            string[] dirs;
            try { dirs = Directory.GetDirectories(local); }
            catch (Exception e) when (ExpectedFailures.IsExpected(e)) { yield break; }
            Array.Sort(dirs, StringComparer.Ordinal);
            foreach (var d in dirs) yield return System.IO.Path.GetFileName(d);
        }

        private string Local(List<string> parts)
        {
            string joined = string.Join("/", parts);
            if (Root == "/") return "/" + joined;
            return joined.Length == 0 ? Root : Root + "/" + joined;
        }

        private static List<string> Split(string path)
        {
            var parts = new List<string>();
            foreach (var p in path.Split('/'))
                if (p.Length > 0 && p != ".") parts.Add(p);
            return parts;
        }
    }
}
