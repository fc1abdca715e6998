using System.Net;
using System.Net.Http;
using ImageTools.Stores.RegistryHttp;
using Xunit;

namespace ImageTools.UnitTests.RegistryHttp
{
    /// <summary>The header rules of chunked uploads, as distribution writes them (registry/handlers/blobupload.go).</summary>
    public class ChunkedUploadTests
    {
        [Theory]
        [InlineData("0-99999", 100000)]
        [InlineData("0-0", 0)] // distribution's answer for an empty session
        [InlineData("bytes=0-1023", 1024)]
        [InlineData(null, 0)]
        [InlineData("garbage", 0)]
        public void ReadsHowManyBytesASessionHolds(string? range, long expected) =>
            Assert.Equal(expected, ChunkedUpload.StoredBytes(range));

        [Fact]
        public void TakesTheChunkSizeTheRegistryAsksFor()
        {
            using var asked = new HttpResponseMessage(HttpStatusCode.Accepted);
            asked.Headers.TryAddWithoutValidation("OCI-Chunk-Min-Length", "100000");
            Assert.Equal(100000, ChunkedUpload.ChunkSize(asked));
            using var none = new HttpResponseMessage(HttpStatusCode.Accepted);
            Assert.Equal(ChunkedUpload.DefaultChunkSize, ChunkedUpload.ChunkSize(none));
            using var huge = new HttpResponseMessage(HttpStatusCode.Accepted);
            huge.Headers.TryAddWithoutValidation("OCI-Chunk-Min-Length", "999999999999");
            Assert.Equal(ChunkedUpload.MaxChunkSize, ChunkedUpload.ChunkSize(huge));
        }
    }
}
