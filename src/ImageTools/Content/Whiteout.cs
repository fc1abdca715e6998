namespace ImageTools.Content
{
    /// <summary>
    /// The OCI (and AUFS) whiteout rules of layer changesets: an entry named <c>.wh.NAME</c> hides NAME of the
    /// layers below; an entry <c>.wh..wh..opq</c> in a folder hides everything the layers below put in that folder.
    /// Both apply only to lower layers and never appear in the merged filesystem themselves.
    /// </summary>
    public static class Whiteout
    {
        public const string Prefix = ".wh.";
        public const string OpaqueMarker = ".wh..wh..opq";

        /// <summary>
        /// Why a path component that looks like a whiteout cannot be one: <c>.wh.</c>, <c>.wh..</c> and <c>.wh...</c>
        /// would hide nothing, the folder itself or its parent; null for any other name.
        /// </summary>
        public static string? UnsafeReason(string component)
        {
            if (component == Prefix || component == Prefix + "." || component == Prefix + "..")
                return $"'{component}' is a whiteout of '{component.Substring(Prefix.Length)}', which names no file of the layer below";
            return null;
        }

        /// <summary>The last component of a clean path.</summary>
        public static string BaseName(string path)
        {
            int slash = path.LastIndexOf('/');
            return slash < 0 ? path : path.Substring(slash + 1);
        }

        /// <summary>The folder part of a clean path ("" for a top-level name).</summary>
        public static string DirName(string path)
        {
            int slash = path.LastIndexOf('/');
            return slash < 0 ? "" : path.Substring(0, slash);
        }

        public static bool IsOpaque(string path) => BaseName(path) == OpaqueMarker;

        /// <summary>A whiteout of one name (not the opaque marker).</summary>
        public static bool IsWhiteout(string path)
        {
            string name = BaseName(path);
            return name.StartsWith(Prefix, System.StringComparison.Ordinal) && name != OpaqueMarker;
        }

        /// <summary>The clean path a whiteout hides (for <c>etc/.wh.x</c>, <c>etc/x</c>); null when it is not a whiteout.</summary>
        public static string? HiddenPath(string path)
        {
            if (!IsWhiteout(path)) return null;
            string dir = DirName(path), name = BaseName(path).Substring(Prefix.Length);
            return dir.Length == 0 ? name : dir + "/" + name;
        }
    }
}
