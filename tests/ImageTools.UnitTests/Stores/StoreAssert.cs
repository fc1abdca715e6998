using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using ImageTools.Oci;
using ImageTools.Stores;
using Xunit;

namespace ImageTools.UnitTests.Stores
{
    /// <summary>Checks shared by the store tests; the expected values always come from the caller (a tool's answer).</summary>
    internal static class StoreAssert
    {
        /// <summary>The store lists exactly these blobs, and each one opens to bytes that hash to its digest.</summary>
        internal static void HoldsExactly(IImageStore store, IReadOnlyCollection<string> expected)
        {
            Assert.NotEmpty(expected);
            var listed = store.EnumerateBlobs().Select(d => d.ToString()).OrderBy(d => d, StringComparer.Ordinal).ToList();
            Assert.Equal(expected.OrderBy(d => d, StringComparer.Ordinal).ToList(), listed);
            foreach (var d in expected) OpensTo(store, d);
        }

        /// <summary>The blob is there and its bytes hash to its digest.</summary>
        internal static void OpensTo(IImageStore store, string digest)
        {
            var parsed = Digest.Parse(digest);
            Assert.True(store.HasBlob(parsed), digest + " is not in " + store.Location);
            using var s = store.OpenBlob(parsed);
            Assert.Equal(digest, FixtureFiles.Sha256(s));
        }

        /// <summary>The manifest a root descriptor points at, parsed as JSON.</summary>
        internal static JsonElement Manifest(IImageStore store, Descriptor root)
        {
            using var s = store.OpenBlob(root.Digest);
            using var doc = JsonDocument.Parse(s);
            return doc.RootElement.Clone();
        }

        /// <summary>config digest and layer digests of a manifest, as skopeo inspect --raw records them.</summary>
        internal static (string Config, List<string> Layers) ConfigAndLayers(JsonElement manifest) =>
            (manifest.GetProperty("config").GetProperty("digest").GetString()!,
             manifest.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("digest").GetString()!).ToList());

        internal static NamedImage Named(IImageStore store, string? name)
        {
            var matches = store.Images.Where(i => i.Name == name).ToList();
            Assert.Single(matches);
            return matches[0];
        }
    }
}
