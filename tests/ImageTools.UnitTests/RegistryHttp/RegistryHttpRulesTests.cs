using System;
using System.IO;
using System.Net;
using System.Net.Http;
using ImageTools.Stores.RegistryHttp;
using Xunit;

namespace ImageTools.UnitTests.RegistryHttp
{
    /// <summary>The small rules of the registry client: challenges as distribution writes them, plain HTTP as docker allows it, Link paging, retries.</summary>
    public class RegistryHttpRulesTests
    {
        [Fact]
        public void ParsesABearerChallengeWithQuotedCommas()
        {
            // as distribution's token auth writes it (registry/auth/token/accesscontroller.go)
            var c = AuthChallenge.Parse("Bearer", "realm=\"https://auth.example/token\",service=\"registry.example\",scope=\"repository:a/b:pull,push\",error=\"insufficient_scope\"");
            Assert.True(c.IsBearer);
            Assert.Equal("https://auth.example/token", c["realm"]);
            Assert.Equal("registry.example", c["service"]);
            Assert.Equal("repository:a/b:pull,push", c["scope"]);
            Assert.Equal("insufficient_scope", c["error"]);
        }

        [Fact]
        public void ParsesUnquotedValuesAndEscapedQuotes()
        {
            var c = AuthChallenge.Parse("Basic", "realm=plain, other=\"a\\\"b\"");
            Assert.True(c.IsBasic);
            Assert.Equal("plain", c["realm"]);
            Assert.Equal("a\"b", c["other"]);
            Assert.Null(c["missing"]);
        }

        [Theory]
        [InlineData("127.0.0.1:5000", true)]
        [InlineData("localhost:5000", true)]
        [InlineData("[::1]:5000", true)]
        [InlineData("10.10.10.250", true)]      // listed by name
        [InlineData("10.20.3.4:5000", true)]    // in a listed CIDR range
        [InlineData("10.21.0.1:5000", false)]
        [InlineData("registry.example.com", false)]
        [InlineData("insecure.example:8080", true)]
        [InlineData("insecure.example:8081", false)]
        public void AllowsPlainHttpAsDockerDoes(string host, bool allowed)
        {
            var dir = Path.Combine(Path.GetTempPath(), "it-daemon-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            try
            {
                var daemon = Path.Combine(dir, "daemon.json");
                File.WriteAllText(daemon, "{\"insecure-registries\":[\"10.10.10.250\",\"10.20.0.0/16\",\"insecure.example:8080\"]}");
                var settings = new DockerSettings(Path.Combine(dir, "certs.d"), daemon, null);
                Assert.Equal(allowed, PlainHttpRule.Allows(host, settings));
            }
            finally { Directory.Delete(dir, true); }
        }

        [Theory]
        [InlineData("</v2/_catalog?last=b&n=2>; rel=\"next\"", "v2/_catalog?last=b&n=2")]
        [InlineData("<https://other.example/v2/x/tags/list?last=1&n=1>; rel=\"next\"", "v2/x/tags/list?last=1&n=1")]
        [InlineData("</v2/_catalog?last=b>; rel=\"prev\"", null)]
        public void FollowsOnlyTheNextLinkOnTheSameRegistry(string link, string? expected)
        {
            using var response = new HttpResponseMessage(HttpStatusCode.OK);
            response.Headers.TryAddWithoutValidation("Link", link);
            Assert.Equal(expected, RegistryListing.NextLink(response));
        }

        [Fact]
        public void RetriesTheStatusesThatMayPass()
        {
            Assert.True(RetryPolicy.IsRetryable(HttpStatusCode.RequestTimeout));
            Assert.True(RetryPolicy.IsRetryable((HttpStatusCode)429));
            Assert.True(RetryPolicy.IsRetryable(HttpStatusCode.ServiceUnavailable));
            Assert.False(RetryPolicy.IsRetryable(HttpStatusCode.NotImplemented));
            Assert.False(RetryPolicy.IsRetryable(HttpStatusCode.NotFound));
            using var response = new HttpResponseMessage((HttpStatusCode)429);
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(7));
            Assert.Equal(TimeSpan.FromSeconds(7), RetryPolicy.Delay(1, response, TimeSpan.FromSeconds(30)));
            Assert.Equal(TimeSpan.FromSeconds(5), RetryPolicy.Delay(1, response, TimeSpan.FromSeconds(5)));
        }

        [Theory]
        [InlineData("registry.example.com:5000", "registry.example.com:5000", false)]
        [InlineData("https://Registry.Example.com/", "registry.example.com", false)]
        [InlineData("http://127.0.0.1:5000/v2/", "127.0.0.1:5000", true)]
        public void ReadsRegistryAddresses(string text, string host, bool plain)
        {
            Assert.Equal((host, plain), RegistryAddress.Parse(text));
        }

        [Fact]
        public void RefusesAnAddressWithAPath()
        {
            var e = Assert.Throws<ImageToolsException>(() => RegistryAddress.Parse("registry.example.com/team"));
            Assert.Equal(ErrorId.InvalidReference, e.ErrorId);
        }
    }
}

namespace ImageTools.UnitTests.RegistryHttp
{
    public class RegistryClientHostTests
    {
        [Theory]
        [InlineData("docker.io")]
        [InlineData("index.docker.io")]
        public void DockerIoNamesGoToDockerHubsApiHost(string registry)
        {
            Assert.Equal(RegistryClient.DockerHubHost, RegistryClient.For(registry, new RegistryOptions()).Host);
        }

        [Fact]
        public void OtherHostsAreReachedAsNamed()
        {
            Assert.Equal("10.10.10.250:5000", RegistryClient.For("10.10.10.250:5000", new RegistryOptions()).Host);
        }
    }
}
