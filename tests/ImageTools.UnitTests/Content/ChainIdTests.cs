using System.Security.Cryptography;
using System.Text;
using ImageTools.Content;
using ImageTools.Oci;
using Xunit;

namespace ImageTools.UnitTests.Content
{
    public class ChainIdTests
    {
        [Fact]
        public void FollowsTheImageSpecFormula()
        {
            var a = Digest.Parse("sha256:" + new string('a', 64));
            var b = Digest.Parse("sha256:" + new string('b', 64));
            var c = Digest.Parse("sha256:" + new string('c', 64));
            var chain = ChainId.Compute(new[] { a, b, c });
            Assert.Equal(a, chain[0]);
            string ab = "sha256:" + System.Convert.ToHexString(SHA256.HashData(Encoding.ASCII.GetBytes($"{a} {b}"))).ToLowerInvariant();
            Assert.Equal(ab, chain[1].ToString());
            string abc = "sha256:" + System.Convert.ToHexString(SHA256.HashData(Encoding.ASCII.GetBytes($"{ab} {c}"))).ToLowerInvariant();
            Assert.Equal(abc, chain[2].ToString());
        }
    }
}
