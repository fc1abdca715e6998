using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using ImageTools.Oci;

namespace ImageTools.Graph
{
    /// <summary>
    /// The one platform rule: what a -Platform value means (containerd's platforms.Parse: <c>arm64</c> is
    /// linux/arm64/v8, <c>amd64</c> linux/amd64, <c>aarch64</c> and <c>x86_64</c> are aliases, an os alone takes this
    /// machine's architecture), which manifest platform satisfies it, which platform a config declares, and the
    /// message when an image has none that fits.
    /// </summary>
    public static class PlatformRule
    {
        /// <summary>What docker save and docker pull pick when no platform is asked for.</summary>
        public static readonly Platform Default = new Platform("linux", "amd64");

        private static readonly HashSet<string> KnownOs = new HashSet<string>(StringComparer.Ordinal)
        {
            "aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos", "ios", "js", "linux", "nacl",
            "netbsd", "openbsd", "plan9", "solaris", "wasip1", "windows", "zos",
        };

        private static readonly HashSet<string> KnownArch = new HashSet<string>(StringComparer.Ordinal)
        {
            "386", "amd64", "amd64p32", "arm", "armbe", "arm64", "arm64be", "loong64", "mips", "mipsle", "mips64",
            "mips64le", "mips64p32", "mips64p32le", "ppc", "ppc64", "ppc64le", "riscv", "riscv64", "s390", "s390x",
            "sparc", "sparc64", "wasm",
        };

        /// <summary>Parses os[/arch[/variant]] or an architecture alone, normalized as containerd does.</summary>
        /// <exception cref="ImageToolsException">InvalidPlatform... reported as InvalidReference, naming the value.</exception>
        public static Platform Parse(string text)
        {
            var parts = (text ?? "").Trim().ToLowerInvariant().Split('/');
            if (parts.Length > 3 || parts.Any(string.IsNullOrWhiteSpace))
                throw Invalid(text);
            if (parts.Length == 1)
            {
                var os = NormalOs(parts[0]);
                if (KnownOs.Contains(os)) return new Platform(os, HostArchitecture());
                var (arch, variant) = NormalArch(parts[0], null);
                if (!KnownArch.Contains(arch)) throw Invalid(text);
                return new Platform("linux", arch, variant);
            }
            var (a, v) = NormalArch(parts[1], parts.Length == 3 ? parts[2] : null);
            return new Platform(NormalOs(parts[0]), a, v);
        }

        /// <summary>True when a manifest's platform satisfies a requested one (both normalized; no variant asked: any).</summary>
        public static bool Satisfies(Platform have, Platform wanted)
        {
            var h = Normalize(have);
            var w = Normalize(wanted);
            if (h.Os != w.Os || h.Architecture != w.Architecture) return false;
            return w.Variant == null || h.Variant == w.Variant;
        }

        /// <summary>The platform an image config declares, or null when it does not name both os and architecture.</summary>
        public static Platform? OfConfig(ImageConfig config)
        {
            if (string.IsNullOrEmpty(config.Os) || string.IsNullOrEmpty(config.Architecture)) return null;
            return new Platform(config.Os!, config.Architecture!, config.Variant, config.OsVersion);
        }

        /// <summary>The error for an image that has no manifest for the platform asked for, listing the ones it has.</summary>
        public static ImageToolsException NotFound(string image, Platform wanted, IEnumerable<Platform?> have, string? location) =>
            new ImageToolsException(ErrorId.PlatformNotFound,
                $"{image} has no manifest for platform {wanted}; it has: {Describe(have)}.", image, location);

        /// <summary>The error for a command that works on one platform and was given an image with several.</summary>
        public static ImageToolsException Ambiguous(string image, IEnumerable<Platform?> have, string? location) =>
            new ImageToolsException(ErrorId.PlatformNotFound,
                $"{image} has {have.Count()} platforms ({Describe(have)}); choose one with -Platform.", image, location);

        public static string Describe(IEnumerable<Platform?> platforms)
        {
            var names = platforms.Select(p => p?.ToString() ?? "unknown").ToList();
            return names.Count == 0 ? "none" : string.Join(", ", names);
        }

        private static Platform Normalize(Platform p)
        {
            var (arch, variant) = NormalArch(p.Architecture.ToLowerInvariant(), p.Variant?.ToLowerInvariant());
            return new Platform(NormalOs(p.Os.ToLowerInvariant()), arch, variant);
        }

        private static string NormalOs(string os) => os == "macos" ? "darwin" : os;

        /// <summary>containerd's normalizeArch, with arm64's implied variant made explicit (v8) so both spellings compare equal.</summary>
        private static (string Arch, string? Variant) NormalArch(string arch, string? variant)
        {
            variant = string.IsNullOrEmpty(variant) ? null : variant;
            switch (arch)
            {
                case "i386": return ("386", null);
                case "x86_64": case "x86-64": case "amd64": return ("amd64", variant == "v1" ? null : variant);
                case "aarch64": case "arm64":
                    return ("arm64", variant switch { null => "v8", "8" => "v8", "v8.0" => "v8", "9" => "v9", "9.0" => "v9", "v9.0" => "v9", _ => variant });
                case "armhf": return ("arm", "v7");
                case "armel": return ("arm", "v6");
                case "arm":
                    return ("arm", variant switch { null => "v7", "7" => "v7", "6" => "v6", "5" => "v5", "8" => "v8", _ => variant });
                default: return (arch, variant);
            }
        }

        private static string HostArchitecture() => RuntimeInformation.OSArchitecture switch
        {
            Architecture.Arm64 => "arm64",
            Architecture.Arm => "arm",
            Architecture.X86 => "386",
            _ => "amd64",
        };

        private static ImageToolsException Invalid(string? text) =>
            new ImageToolsException(ErrorId.InvalidReference,
                $"'{text}' is not a platform: expected os/architecture[/variant] or an architecture alone, e.g. linux/amd64, linux/arm64/v8, arm64.", text);
    }
}
