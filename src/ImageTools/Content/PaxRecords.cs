using System;
using System.Collections.Generic;
using System.Text;

namespace ImageTools.Content
{
    /// <summary>PAX extended header records: "<c>length key=value\n</c>", repeated.</summary>
    internal static class PaxRecords
    {
        private const string XattrPrefix = "SCHILY.xattr.";

        public static Dictionary<string, string> Parse(byte[] data, string location)
        {
            var records = new Dictionary<string, string>(StringComparer.Ordinal);
            int pos = 0;
            while (pos < data.Length)
            {
                if (data[pos] == 0) break;
                int space = Array.IndexOf(data, (byte)' ', pos);
                if (space < 0 || !int.TryParse(Encoding.ASCII.GetString(data, pos, space - pos), out int length) || length <= space - pos || pos + length > data.Length)
                    throw new ImageToolsException(ErrorId.ArchiveCorrupt, $"{location} has a malformed PAX record at byte {pos} of its extended header.", location, location);
                string record = Encoding.UTF8.GetString(data, space + 1, pos + length - space - 2);
                int eq = record.IndexOf('=');
                if (eq > 0) records[record.Substring(0, eq)] = record.Substring(eq + 1);
                pos += length;
            }
            return records;
        }

        public static IReadOnlyDictionary<string, string> Xattrs(Dictionary<string, string> pax)
        {
            Dictionary<string, string>? xattrs = null;
            foreach (var kv in pax)
            {
                if (!kv.Key.StartsWith(XattrPrefix, StringComparison.Ordinal)) continue;
                xattrs ??= new Dictionary<string, string>(StringComparer.Ordinal);
                xattrs[kv.Key.Substring(XattrPrefix.Length)] = kv.Value;
            }
            return xattrs ?? EmptyXattrs;
        }

        /// <summary>The xattrs of an entry that has none (shared, never changed).</summary>
        internal static readonly IReadOnlyDictionary<string, string> EmptyXattrs = new Dictionary<string, string>();
    }
}
