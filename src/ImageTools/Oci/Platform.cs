using System;
using System.Collections.Generic;
using System.Linq;

namespace ImageTools.Oci
{
    /// <summary>The platform of a manifest in an index (image-spec image-index.md).</summary>
    public sealed class Platform : IEquatable<Platform>
    {
        public string Os { get; }
        public string Architecture { get; }
        public string? Variant { get; }
        public string? OsVersion { get; }
        public IReadOnlyList<string> OsFeatures { get; }

        public Platform(string os, string architecture, string? variant = null, string? osVersion = null, IReadOnlyList<string>? osFeatures = null)
        {
            Os = os ?? "";
            Architecture = architecture ?? "";
            Variant = string.IsNullOrEmpty(variant) ? null : variant;
            OsVersion = string.IsNullOrEmpty(osVersion) ? null : osVersion;
            OsFeatures = osFeatures ?? Array.Empty<string>();
        }

        /// <summary>Parses <c>os/arch[/variant]</c>, e.g. <c>linux/arm64/v8</c>.</summary>
        public static Platform Parse(string text)
        {
            var parts = (text ?? "").Split('/');
            if (parts.Length < 2 || parts.Length > 3 || parts.Any(string.IsNullOrWhiteSpace))
                throw new FormatException($"'{text}' is not a platform: expected os/architecture[/variant], e.g. linux/amd64 or linux/arm64/v8.");
            return new Platform(parts[0].ToLowerInvariant(), parts[1].ToLowerInvariant(), parts.Length == 3 ? parts[2].ToLowerInvariant() : null);
        }

        /// <summary>
        /// True when this platform satisfies a requested one: same os and architecture, and the same variant when
        /// the request names one (arm64 without a variant is taken as v8, as containerd does).
        /// </summary>
        public bool Satisfies(Platform wanted)
        {
            if (!string.Equals(Os, wanted.Os, StringComparison.OrdinalIgnoreCase)) return false;
            if (!string.Equals(Architecture, wanted.Architecture, StringComparison.OrdinalIgnoreCase)) return false;
            if (wanted.Variant == null) return true;
            return string.Equals(NormalVariant(this), NormalVariant(wanted), StringComparison.OrdinalIgnoreCase);
        }

        private static string? NormalVariant(Platform p) =>
            p.Variant ?? (p.Architecture == "arm64" ? "v8" : null);

        public override string ToString() => Variant == null ? $"{Os}/{Architecture}" : $"{Os}/{Architecture}/{Variant}";

        public bool Equals(Platform? other) => other != null && ToString() == other.ToString() && OsVersion == other.OsVersion;
        public override bool Equals(object? obj) => Equals(obj as Platform);
        public override int GetHashCode() => ToString().GetHashCode();
    }
}
