using System;
using System.Text.RegularExpressions;

namespace ImageTools.Oci
{
    /// <summary>
    /// An image reference, <c>[domain/]path[:tag][@digest]</c>, parsed with the distribution name grammar
    /// (distribution/reference regexp.go) and normalized as Docker does: <c>base:1.0</c> and
    /// <c>docker.io/library/base:1.0</c> name the same image.
    /// </summary>
    public sealed class ImageReference : IEquatable<ImageReference>
    {
        public const string DefaultDomain = "docker.io";
        private const string OfficialRepoPrefix = "library/";

        private static readonly Regex PathComponent = new Regex("^[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*$", RegexOptions.CultureInvariant);
        private static readonly Regex DomainGrammar = new Regex(
            @"^(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?$",
            RegexOptions.CultureInvariant);
        private static readonly Regex TagGrammar = new Regex(@"^[\w][\w.-]{0,127}$", RegexOptions.CultureInvariant);

        /// <summary>True when <paramref name="tag"/> has the tag grammar (a word character, then up to 127 of word characters, '.' and '-').</summary>
        public static bool IsValidTag(string tag) => TagGrammar.IsMatch(tag);

        /// <summary>Registry host, e.g. <c>docker.io</c> or <c>registry.example.com:5000</c>.</summary>
        public string Domain { get; }
        /// <summary>Repository path below the domain, e.g. <c>library/base</c>.</summary>
        public string Path { get; }
        public string? Tag { get; }
        public Digest? Digest { get; }

        private ImageReference(string domain, string path, string? tag, Digest? digest)
        {
            Domain = domain;
            Path = path;
            Tag = tag;
            Digest = digest;
        }

        /// <summary>The fully qualified repository, <c>docker.io/library/base</c>.</summary>
        public string Repository => Domain + "/" + Path;

        /// <summary>The repository as Docker prints it: <c>base</c>, <c>user/repo</c>, <c>registry.example.com:5000/team/app</c>.</summary>
        public string FamiliarRepository =>
            Domain == DefaultDomain
                ? (Path.StartsWith(OfficialRepoPrefix, StringComparison.Ordinal) && Path.IndexOf('/', OfficialRepoPrefix.Length) < 0
                    ? Path.Substring(OfficialRepoPrefix.Length) : Path)
                : Repository;

        public bool IsNameOnly => Tag == null && Digest == null;

        /// <summary>The full, normalized form: <c>docker.io/library/base:1.0</c>.</summary>
        public override string ToString() => Repository + Suffix;

        /// <summary>The short form Docker prints: <c>base:1.0</c>.</summary>
        public string FamiliarName => FamiliarRepository + Suffix;

        private string Suffix => (Tag != null ? ":" + Tag : "") + (Digest != null ? "@" + Digest : "");

        public ImageReference WithTag(string tag) => new ImageReference(Domain, Path, tag, null);
        public ImageReference WithoutTagOrDigest() => new ImageReference(Domain, Path, null, null);

        public static ImageReference Parse(string text)
        {
            if (TryParse(text, out var r, out var reason)) return r!;
            throw new FormatException($"'{text}' is not a valid image reference: {reason}.");
        }

        public static bool TryParse(string? text, out ImageReference? reference) => TryParse(text, out reference, out _);

        public static bool TryParse(string? text, out ImageReference? reference, out string? reason)
        {
            reference = null;
            if (string.IsNullOrEmpty(text)) { reason = "it is empty"; return false; }
            if (text!.Length > 512) { reason = "it is too long"; return false; }
            string rest = text;
            Digest? digest = null;
            int at = rest.IndexOf('@');
            if (at >= 0)
            {
                if (!Digest.TryParse(rest.Substring(at + 1), out digest, out var why)) { reason = "the digest part is invalid: " + why; return false; }
                rest = rest.Substring(0, at);
            }
            string? tag = null;
            int lastColon = rest.LastIndexOf(':');
            if (lastColon >= 0 && rest.IndexOf('/', lastColon) < 0)
            {
                tag = rest.Substring(lastColon + 1);
                rest = rest.Substring(0, lastColon);
                if (!TagGrammar.IsMatch(tag)) { reason = $"tag '{tag}' does not match [\\w][\\w.-]{{0,127}}"; return false; }
            }
            string domain = DefaultDomain;
            string path = rest;
            int slash = rest.IndexOf('/');
            if (slash >= 0)
            {
                string first = rest.Substring(0, slash);
                if (first.Contains(".") || first.Contains(":") || first == "localhost" || first.ToLowerInvariant() != first)
                {
                    if (!DomainGrammar.IsMatch(first)) { reason = $"'{first}' is not a valid registry host"; return false; }
                    domain = first == "index.docker.io" ? DefaultDomain : first;
                    path = rest.Substring(slash + 1);
                }
            }
            if (path.Length == 0) { reason = "the repository name is empty"; return false; }
            foreach (var component in path.Split('/'))
            {
                if (!PathComponent.IsMatch(component))
                {
                    reason = component.ToLowerInvariant() != component
                        ? "repository names must be lowercase"
                        : $"path component '{component}' does not match [a-z0-9]+((.|_|__|-+)[a-z0-9]+)*";
                    return false;
                }
            }
            if (domain == DefaultDomain && path.IndexOf('/') < 0) path = OfficialRepoPrefix + path;
            if ((domain + "/" + path).Length > 255) { reason = "the repository name is longer than 255 characters"; return false; }
            reference = new ImageReference(domain, path, tag, digest);
            reason = null;
            return true;
        }

        public bool Equals(ImageReference? other) => other != null && ToString() == other.ToString();
        public override bool Equals(object? obj) => Equals(obj as ImageReference);
        public override int GetHashCode() => ToString().GetHashCode();
    }
}
