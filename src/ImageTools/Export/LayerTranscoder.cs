using System.IO;
using System.IO.Compression;
using System.Threading;
using ImageTools.Content;
using ImageTools.Oci;
using ImageTools.Stores;

namespace ImageTools.Export
{
    /// <summary>
    /// Re-encodes a layer (gzip, zstd or plain in; gzip, zstd or plain out) into a temporary file, checking the
    /// decompressed content against the config's DiffID and digesting the new blob as it is written.
    /// </summary>
    internal static class LayerTranscoder
    {
        public static Compression Target(LayerCompression c) => c switch
        {
            LayerCompression.None => Compression.None,
            LayerCompression.Gzip => Compression.Gzip,
            LayerCompression.Zstd => Compression.Zstd,
            _ => Compression.Unknown,
        };

        public static string MediaTypeFor(Compression c) => c switch
        {
            Compression.Gzip => MediaTypes.OciLayerGzip,
            Compression.Zstd => MediaTypes.OciLayerZstd,
            _ => MediaTypes.OciLayer,
        };

        /// <returns>The new layer descriptor; its bytes are in <paramref name="tempFile"/>.</returns>
        public static Descriptor Transcode(IImageStore store, Descriptor layer, Digest? diffId, Compression target, string tempFile, CancellationToken cancel)
        {
            string location = store.DescribeBlob(layer.Digest);
            using (var output = new FileStream(tempFile, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                using var hashing = new HashingWriteStream(output);
                using (var encoder = Encoder(hashing, target))
                using (var raw = BlobReader.OpenVerified(store, layer, hashInBackground: true))
                using (var plain = Decompression.Open(raw, location, out _))
                {
                    var plainHash = diffId == null ? null : DigestAlgorithms.Create(diffId.Algorithm);
                    var buffer = new byte[1 << 20];
                    int n;
                    while ((n = plain.Read(buffer, 0, buffer.Length)) > 0)
                    {
                        cancel.ThrowIfCancellationRequested();
                        plainHash?.AppendData(buffer, 0, n);
                        encoder.Write(buffer, 0, n);
                    }
                    if (plainHash != null)
                    {
                        var actual = Digest.FromBytes(diffId!.Algorithm, plainHash.GetHashAndReset());
                        if (actual != diffId)
                            throw new ImageToolsException(ErrorId.DiffIdMismatch,
                                $"Layer {layer.Digest} at {location} decompresses to {actual}, but the config's DiffID is {diffId}.", layer.Digest.ToString(), location);
                    }
                }
                var digest = hashing.Complete();
                return new Descriptor(MediaTypeFor(target), digest, hashing.Count, layer.Annotations);
            }
        }

        private static Stream Encoder(Stream output, Compression target) => target switch
        {
            Compression.Gzip => new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true),
            Compression.Zstd => new ZstdSharp.CompressionStream(output, 3, leaveOpen: true),
            _ => new NonClosingStream(output),
        };
    }
}
