using System.Collections.Generic;
using System.IO;
using System.Linq;
using ImageTools.Oci;

namespace ImageTools.UnitTests.Export
{
    /// <summary>What the sink tests write: base:1.0 of the OCI layout fixture (skopeo copy oci:), blob files and metadata.</summary>
    internal static class SinkInput
    {
        internal static readonly string Layout = FixtureFiles.Data("oci-layout");

        /// <summary>base:1.0's manifest, config and layers, as listed by skopeo inspect --raw (recorded).</summary>
        internal static List<string> BaseBlobs()
        {
            var raw = FixtureFiles.Expected("oci-layout.base_1.0.raw.json");
            var blobs = new List<string> { FixtureFiles.Expected("oci-layout.base_1.0.inspect.json").GetProperty("Digest").GetString()!,
                raw.GetProperty("config").GetProperty("digest").GetString()! };
            blobs.AddRange(raw.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("digest").GetString()!));
            return blobs;
        }

        internal static string BlobFile(string digest) => Path.Combine(Layout, "blobs", "sha256", digest.Substring(7));

        internal static void AddBlob(ImageTools.Export.IBlobSink sink, string digest)
        {
            using var content = File.OpenRead(BlobFile(digest));
            sink.AddBlob(Digest.Parse(digest), content.Length, content, default, null);
        }

        internal static byte[] LayoutFile(string name) => File.ReadAllBytes(Path.Combine(Layout, name));
    }
}
