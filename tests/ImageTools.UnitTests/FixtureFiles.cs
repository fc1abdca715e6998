using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text.Json;

namespace ImageTools.UnitTests
{
    /// <summary>
    /// The committed fixtures (tests/Fixtures, made by the real tools), what those tools said about them
    /// (tests/Fixtures/data/expected), and the real tools that answer about files a test made (tar, sha256sum).
    /// </summary>
    internal static class FixtureFiles
    {
        private static readonly Lazy<string> RootLazy = new Lazy<string>(() =>
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "tests", "Fixtures");
                if (Directory.Exists(Path.Combine(candidate, "data", "expected"))) return candidate;
            }
            throw new DirectoryNotFoundException("tests/Fixtures not found above " + AppContext.BaseDirectory);
        });

        /// <summary>A path under tests/Fixtures.</summary>
        internal static string Under(params string[] parts) => Path.Combine(new[] { RootLazy.Value }.Concat(parts).ToArray());

        /// <summary>A path under tests/Fixtures/data.</summary>
        internal static string Data(string name) => Under("data", name);

        /// <summary>A recorded answer under tests/Fixtures/data/expected, parsed.</summary>
        internal static JsonElement Expected(string name)
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(Under("data", "expected", name)));
            return doc.RootElement.Clone();
        }

        /// <summary>The lines of a recorded answer under tests/Fixtures/data/expected.</summary>
        internal static string[] ExpectedLines(string name) => File.ReadAllLines(Under("data", "expected", name));

        internal static string Sha256(byte[] bytes) => "sha256:" + Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();

        internal static string Sha256(Stream stream) => "sha256:" + Convert.ToHexString(SHA256.HashData(stream)).ToLowerInvariant();

        /// <summary>Runs a real tool and returns its standard output; throws when it fails.</summary>
        internal static string Run(string tool, params string[] arguments)
        {
            var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in arguments) info.ArgumentList.Add(a);
            using var p = Process.Start(info)!;
            string output = p.StandardOutput.ReadToEnd();
            string error = p.StandardError.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0) throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} failed ({p.ExitCode}): {error}");
            return output;
        }

        /// <summary>A file inside a tar archive, as GNU tar extracts it.</summary>
        internal static string TarMember(string archive, string member) => Run("tar", "-xOf", archive, member);

        /// <summary>The digests of the stored blobs in a folder of blob files (an OCI layout's blobs/sha256, a skopeo dir:), by file name.</summary>
        internal static List<string> BlobFileDigests(string folder) =>
            Directory.GetFiles(folder).Select(Path.GetFileName)
                .Where(n => n!.Length == 64 && n.All(Uri.IsHexDigit))
                .Select(n => "sha256:" + n).OrderBy(d => d, StringComparer.Ordinal).ToList();
    }
}
