using System.Collections.Generic;

namespace ImageTools.Content
{
    /// <summary>Normalizes and checks paths found inside archives and layers, which are never trusted.</summary>
    public static class EntryPath
    {
        /// <summary>
        /// Cleans <paramref name="name"/> (drops <c>./</c>, duplicate and trailing slashes) and returns null when it
        /// is absolute or climbs out with <c>..</c>; the reason is set then.
        /// </summary>
        public static string? Clean(string name, out string? reason)
        {
            reason = null;
            if (name.StartsWith("/", System.StringComparison.Ordinal)) { reason = "it is an absolute path"; return null; }
            if (name.IndexOf('\0') >= 0) { reason = "it contains a NUL character"; return null; }
            var parts = new List<string>();
            foreach (var part in name.Split('/'))
            {
                if (part.Length == 0 || part == ".") continue;
                if (part == "..") { reason = "it contains a '..' component"; return null; }
                if ((reason = Whiteout.UnsafeReason(part)) != null) return null;
                parts.Add(part);
            }
            return string.Join("/", parts);
        }

        /// <summary>Resolves a symlink target relative to the link's folder; null when it leaves the root.</summary>
        public static string? ResolveLink(string linkPath, string target)
        {
            var parts = new List<string>();
            if (!target.StartsWith("/", System.StringComparison.Ordinal))
            {
                var dir = linkPath.Split('/');
                for (int i = 0; i < dir.Length - 1; i++) parts.Add(dir[i]);
            }
            foreach (var part in target.Split('/'))
            {
                if (part.Length == 0 || part == ".") continue;
                if (part == "..")
                {
                    if (parts.Count == 0) return null;
                    parts.RemoveAt(parts.Count - 1);
                    continue;
                }
                parts.Add(part);
            }
            return string.Join("/", parts);
        }
    }
}
