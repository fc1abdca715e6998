using System;
using System.IO;
using System.Text.RegularExpressions;
using ImageTools.Oci;

namespace ImageTools.Stores.Registry
{
    /// <summary>
    /// Paths of the distribution registry's filesystem storage (distribution registry/storage/paths.go), under
    /// <c>&lt;rootdirectory&gt;/docker/registry/v2</c>. Digests are always validated <see cref="Digest"/>s before
    /// they become part of a path; repository names are checked against the distribution name grammar.
    /// </summary>
    public sealed class RegistryLayout
    {
        private static readonly Regex PathComponent = new Regex("^[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*$", RegexOptions.CultureInvariant);
        private static readonly Regex TagGrammar = new Regex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", RegexOptions.CultureInvariant);
        public const int MaxNameLength = 255;

        public RegistryLayout(string v2Root)
        {
            Root = Path.GetFullPath(v2Root).TrimEnd(Path.DirectorySeparatorChar);
            Room = new RegistryRoom(Root);
        }

        /// <summary>Where reading and deleting may go: inside <see cref="Root"/>, never through a symlink out of it.</summary>
        public RegistryRoom Room { get; }

        /// <summary>The <c>docker/registry/v2</c> folder.</summary>
        public string Root { get; }

        public string BlobsDirectory => Path.Combine(Root, "blobs");
        public string RepositoriesDirectory => Path.Combine(Root, "repositories");

        /// <summary>The folder of a blob, <c>blobs/&lt;alg&gt;/&lt;2 hex&gt;/&lt;hex&gt;</c>.</summary>
        public string BlobDirectory(Digest digest) =>
            Path.Combine(BlobsDirectory, digest.Algorithm, digest.Encoded.Substring(0, Math.Min(2, digest.Encoded.Length)), digest.Encoded);

        public string BlobData(Digest digest) => Path.Combine(BlobDirectory(digest), "data");

        public static string DigestDirectory(string parent, Digest digest) => Path.Combine(parent, digest.Algorithm, digest.Encoded);

        /// <summary>
        /// Finds the <c>docker/registry/v2</c> folder from a path that is the registry's root directory,
        /// <c>docker/registry/v2</c> itself, or anything between; null when the path is not a registry store.
        /// </summary>
        public static string? FindRoot(string path)
        {
            if (!Directory.Exists(path)) return null;
            string full = Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar);
            foreach (var candidate in new[] { Path.Combine(full, "docker", "registry", "v2"), Path.Combine(full, "registry", "v2"), Path.Combine(full, "v2") })
                if (Directory.Exists(candidate) && (HasStorage(candidate, requireBoth: false))) return candidate;
            if (HasStorage(full, requireBoth: !string.Equals(Path.GetFileName(full), "v2", StringComparison.Ordinal))) return full;
            return null;
        }

        private static bool HasStorage(string dir, bool requireBoth)
        {
            bool repos = Directory.Exists(Path.Combine(dir, "repositories"));
            bool blobs = Directory.Exists(Path.Combine(dir, "blobs"));
            return requireBoth ? repos && blobs : repos || blobs;
        }

        /// <summary>Why a repository name breaks the distribution grammar, or null when it is valid.</summary>
        public static string? CheckRepositoryName(string name)
        {
            if (name.Length > MaxNameLength) return $"it is {name.Length} characters long, more than {MaxNameLength}";
            foreach (var component in name.Split('/'))
                if (!PathComponent.IsMatch(component))
                    return $"'{component}' is not a path component ([a-z0-9]+ joined by '.', '_', '__' or '-')";
            return null;
        }

        /// <summary>Why a tag breaks the grammar <c>[\w][\w.-]{0,127}</c>, or null when it is valid.</summary>
        public static string? CheckTag(string tag) =>
            TagGrammar.IsMatch(tag) ? null : "a tag is 1 to 128 characters of [A-Za-z0-9_.-] and does not start with '.' or '-'";
    }
}
