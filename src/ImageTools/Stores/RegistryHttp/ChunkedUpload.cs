using System;
using System.Buffers;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using ImageTools.Content;
using ImageTools.Oci;

namespace ImageTools.Stores.RegistryHttp
{
    /// <summary>
    /// A blob sent in chunks into an open upload session: PATCH with <c>Content-Range: start-end</c> (the
    /// distribution spec's form), each chunk as long as the registry's <c>OCI-Chunk-Min-Length</c> asks (else
    /// <see cref="DefaultChunkSize"/>), then PUT <c>?digest=</c> with no body. A chunk that fails part way is not
    /// sent again blindly: the session is asked how far it got (GET, <c>Range: 0-end</c>) and the chunk goes on from
    /// there. Only one chunk is held in memory; the source streams and verifies itself to its end.
    /// </summary>
    internal sealed class ChunkedUpload
    {
        public const int DefaultChunkSize = 8 << 20;

        /// <summary>The most held in memory for one chunk: a registry that asks for more gets chunks of this size (and may refuse them).</summary>
        public const long MaxChunkSize = 64L << 20;

        private const int ChunkAttempts = 4;

        private readonly RegistryUpload _upload;
        private readonly CancellationToken _cancel;

        public ChunkedUpload(RegistryUpload upload, CancellationToken cancel)
        {
            _upload = upload;
            _cancel = cancel;
        }

        private RegistryClient Client => _upload.Api.Client;

        /// <summary>The chunk size for a session the registry opened with these headers.</summary>
        public static int ChunkSize(HttpResponseMessage opened)
        {
            if (opened.Headers.TryGetValues("OCI-Chunk-Min-Length", out var values)
                && long.TryParse(values.FirstOrDefault(), out long min) && min > 0)
                return (int)Math.Min(min, MaxChunkSize);
            return DefaultChunkSize;
        }

        public void Send(Uri session, int chunkSize, Descriptor blob, Func<Stream> open)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(chunkSize);
            try
            {
                using var source = open();
                var location = session;
                long offset = 0;
                while (offset < blob.Size)
                {
                    int length = source.ReadFully(buffer, 0, (int)Math.Min(chunkSize, blob.Size - offset));
                    if (length == 0) break;
                    location = SendChunk(location, buffer, length, offset, blob);
                    offset += length;
                }
                // one more read: the source checks its size and digest at its end
                if (offset != blob.Size || source.Read(new byte[1], 0, 1) != 0)
                    throw new ImageToolsException(ErrorId.SizeMismatch, $"Blob {blob.Digest} did not give the {blob.Size} bytes its descriptor says.", blob.Digest.ToString());
                _upload.Complete(location, blob, content: null, _cancel);
            }
            finally { ArrayPool<byte>.Shared.Return(buffer); }
        }

        /// <summary>Sends buffer[0..length) as the bytes from <paramref name="offset"/>; the session's next location.</summary>
        private Uri SendChunk(Uri location, byte[] buffer, int length, long offset, Descriptor blob)
        {
            int sent = 0;
            for (int attempt = 1; ; attempt++)
            {
                try { return Patch(location, buffer, sent, length - sent, offset + sent); }
                catch (ImageToolsException e) when (e.ErrorId == ErrorId.RegistryUnavailable && attempt < ChunkAttempts)
                {
                    long stored = Stored(location);
                    if (stored < offset || stored > offset + length)
                        throw new ImageToolsException(ErrorId.RegistryUnavailable,
                            $"The registry {Client.Host} holds {stored} bytes of the upload of {blob.Digest} to {_upload.Api.Repository}, outside the chunk {offset}-{offset + length - 1} being sent: {e.Message}",
                            blob.Digest.ToString(), Client.Host, e);
                    sent = (int)(stored - offset);
                    Client.Options.Verbose?.Invoke($"{Client.Host}: a chunk of {blob.Digest} failed ({e.Message}); the registry has {stored} bytes, going on from there.");
                    if (sent == length) return location;
                }
            }
        }

        private Uri Patch(Uri location, byte[] buffer, int start, int count, long offset)
        {
            using var response = Client.SendAsync(_ =>
            {
                var content = new ByteArrayContent(buffer, start, count);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                var request = new HttpRequestMessage(new HttpMethod("PATCH"), location) { Content = content };
                // distribution's form, without a unit: start-end, both inclusive
                request.Content.Headers.TryAddWithoutValidation("Content-Range", $"{offset}-{offset + count - 1}");
                return request;
            }, _upload.PushScope, _cancel, attempts: 1).GetAwaiter().GetResult();
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                string body = RegistryClient.ErrorText(response).GetAwaiter().GetResult();
                throw new ImageToolsException(ErrorId.RegistryUnavailable,
                    $"The registry {Client.Host} answered {(int)response.StatusCode} {response.ReasonPhrase} to the chunk {offset}-{offset + count - 1} of an upload to {_upload.Api.Repository}{body}.",
                    _upload.Api.Repository, Client.Host);
            }
            return _upload.UploadLocation(response);
        }

        /// <summary>How many bytes the session holds (GET on the session: 204 with <c>Range: 0-end</c>).</summary>
        private long Stored(Uri location)
        {
            using var response = Client.SendAsync(_ => new HttpRequestMessage(HttpMethod.Get, location), _upload.PushScope, _cancel).GetAwaiter().GetResult();
            if (response.StatusCode != HttpStatusCode.NoContent)
                throw new ImageToolsException(ErrorId.RegistryUnavailable,
                    $"The registry {Client.Host} answered {(int)response.StatusCode} {response.ReasonPhrase} when asked how far an upload to {_upload.Api.Repository} got.",
                    _upload.Api.Repository, Client.Host);
            return response.Headers.TryGetValues("Range", out var values) ? StoredBytes(values.FirstOrDefault()) : 0;
        }

        /// <summary>The bytes a <c>Range: 0-end</c> header says are stored; distribution says 0-0 for an empty upload.</summary>
        internal static long StoredBytes(string? range)
        {
            if (range == null) return 0;
            var text = range.StartsWith("bytes=", StringComparison.Ordinal) ? range.Substring(6) : range;
            int dash = text.IndexOf('-');
            if (dash < 0 || !long.TryParse(text.Substring(dash + 1), out long end)) return 0;
            return end == 0 ? 0 : end + 1;
        }
    }
}
