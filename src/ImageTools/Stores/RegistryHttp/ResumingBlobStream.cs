using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading;
using ImageTools.Oci;

namespace ImageTools.Stores.RegistryHttp
{
    /// <summary>
    /// A blob's bytes from a registry. When the connection drops part way, the rest is asked for with
    /// <c>Range: bytes=&lt;done&gt;-</c>; a registry that answers 200 instead of 206 sends it whole again, and the bytes
    /// already read are skipped. Verification is the reader's (a VerifyingStream above this one).
    /// </summary>
    internal sealed class ResumingBlobStream : Stream
    {
        private const int MaxResumes = 5;

        private readonly RegistryApi _api;
        private readonly Digest _digest;
        private readonly long _size;
        private readonly CancellationToken _cancel;
        private HttpResponseMessage _response;
        private Stream _body;
        private long _position;
        private int _resumes;

        public ResumingBlobStream(RegistryApi api, Digest digest, long size, HttpResponseMessage response, CancellationToken cancel)
        {
            _api = api;
            _digest = digest;
            _size = size;
            _cancel = cancel;
            _response = response;
            _body = response.Content.ReadAsStreamAsync().GetAwaiter().GetResult();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            while (true)
            {
                try
                {
                    int n = _body.Read(buffer, offset, count);
                    // a body that ends before the size the descriptor says is a cut connection too (when the size is known)
                    if (n == 0 && _size > 0 && _position < _size && _resumes < MaxResumes && Resume()) continue;
                    _position += n;
                    return n;
                }
                catch (Exception e) when ((e is IOException || e is HttpRequestException) && _resumes < MaxResumes)
                {
                    _api.Client.Options.Verbose?.Invoke($"{_api.Client.Host}: blob {_digest} dropped at byte {_position}: {e.Message}; resuming.");
                    if (!Resume()) throw;
                }
            }
        }

        /// <summary>Reopens the blob at the current position; false when the registry cannot serve it again.</summary>
        private bool Resume()
        {
            _resumes++;
            _body.Dispose();
            _response.Dispose();
            var next = _api.OpenBlobAt(_digest, _position, _cancel);
            if (next == null) return false;
            _response = next;
            _body = next.Content.ReadAsStreamAsync().GetAwaiter().GetResult();
            if (next.StatusCode == HttpStatusCode.PartialContent)
            {
                var range = next.Content.Headers.ContentRange;
                if (range?.From == _position) return true;
                throw new ImageToolsException(ErrorId.RegistryUnavailable,
                    $"The registry {_api.Client.Host} answered a range request for blob {_digest} from byte {_position} with the range {range}.", _digest.ToString(), _api.Client.Host);
            }
            // 200: the whole blob again; skip what was read
            var skip = new byte[81920];
            for (long left = _position; left > 0;)
            {
                int n = _body.Read(skip, 0, (int)Math.Min(skip.Length, left));
                if (n == 0) return false;
                left -= n;
            }
            return true;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _body.Dispose();
                _response.Dispose();
            }
            base.Dispose(disposing);
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
