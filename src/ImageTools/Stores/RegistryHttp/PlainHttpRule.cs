using System;
using System.Linq;
using System.Net;

namespace ImageTools.Stores.RegistryHttp
{
    /// <summary>Where plain HTTP is allowed, as docker decides: loopback hosts, and the insecure-registries of daemon.json (names or CIDR ranges).</summary>
    internal static class PlainHttpRule
    {
        public static bool Allows(string hostAndPort, DockerSettings docker)
        {
            string host = HostPart(hostAndPort);
            if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return true;
            IPAddress.TryParse(host.Trim('[', ']'), out var address);
            if (address != null && IPAddress.IsLoopback(address)) return true;
            foreach (var entry in docker.InsecureRegistries())
            {
                var e = entry.Trim();
                if (e.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) e = e.Substring(7);
                if (e.Equals(hostAndPort, StringComparison.OrdinalIgnoreCase) || e.Equals(host, StringComparison.OrdinalIgnoreCase)) return true;
                if (address != null && InRange(address, e)) return true;
            }
            return false;
        }

        private static string HostPart(string hostAndPort)
        {
            if (hostAndPort.StartsWith("[")) return hostAndPort.Substring(0, hostAndPort.IndexOf(']') + 1);
            int colon = hostAndPort.LastIndexOf(':');
            return colon >= 0 ? hostAndPort.Substring(0, colon) : hostAndPort;
        }

        private static bool InRange(IPAddress address, string cidr)
        {
            int slash = cidr.IndexOf('/');
            if (slash < 0 || !IPAddress.TryParse(cidr.Substring(0, slash), out var network) || !int.TryParse(cidr.Substring(slash + 1), out int bits)) return false;
            var a = address.GetAddressBytes();
            var n = network.GetAddressBytes();
            if (a.Length != n.Length || bits < 0 || bits > a.Length * 8) return false;
            for (int i = 0; i < a.Length && bits > 0; i++, bits -= 8)
            {
                int mask = bits >= 8 ? 0xFF : (0xFF << (8 - bits)) & 0xFF;
                if ((a[i] & mask) != (n[i] & mask)) return false;
            }
            return true;
        }
    }
}
