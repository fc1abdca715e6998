using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace ImageTools
{
    /// <summary>The text forms ctr prints (docker/go-units HumanSize and HumanDuration, label lists), for the table views.</summary>
    public static class ContainerdText
    {
        private static readonly string[] DecimalUnits = { "B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB" };

        /// <summary>go-units HumanSize: 4 significant digits, decimal units (10240 => 10.24kB).</summary>
        public static string HumanSize(long size)
        {
            double value = size;
            int i = 0;
            while (value >= 1000 && i < DecimalUnits.Length - 1) { value /= 1000; i++; }
            return value.ToString("G4", CultureInfo.InvariantCulture) + DecimalUnits[i];
        }

        private static readonly string[] BinaryUnits = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB" };

        /// <summary>
        /// ctr images ls' SIZE (containerd's progress.Bytes: go-units CustomSize "%02.1f %s" in base 1024, 20582 => 20.1 KiB).
        /// </summary>
        public static string BinarySize(long size)
        {
            double value = size;
            int i = 0;
            while (value >= 1024 && i < BinaryUnits.Length - 1) { value /= 1024; i++; }
            return value.ToString("0.0", CultureInfo.InvariantCulture) + " " + BinaryUnits[i];
        }

        /// <summary>go-units HumanDuration of the time since <paramref name="time"/> ("2 seconds", "About an hour").</summary>
        public static string Age(DateTimeOffset? time) => time == null ? "-" : HumanDuration(DateTimeOffset.UtcNow - time.Value);

        /// <summary>go-units HumanDuration.</summary>
        public static string HumanDuration(TimeSpan d)
        {
            long seconds = (long)d.TotalSeconds;
            if (seconds < 1) return "Less than a second";
            if (seconds == 1) return "1 second";
            if (seconds < 60) return $"{seconds} seconds";
            long minutes = (long)d.TotalMinutes;
            if (minutes == 1) return "About a minute";
            if (minutes < 60) return $"{minutes} minutes";
            long hours = (long)Math.Round(d.TotalHours, MidpointRounding.AwayFromZero);
            if (hours == 1) return "About an hour";
            if (hours < 48) return $"{hours} hours";
            if (hours < 24 * 7 * 2) return $"{hours / 24} days";
            if (hours < 24 * 30 * 2) return $"{hours / 24 / 7} weeks";
            if (hours < 24 * 365 * 2) return $"{hours / 24 / 30} months";
            return $"{(long)d.TotalHours / 24 / 365} years";
        }

        /// <summary>
        /// Labels as ctr prints them: key=value joined by commas in key order, or '-' when there are none. Takes the
        /// labels as the object has them or as they come back from remoting (a hashtable).
        /// </summary>
        public static string Labels(object? labels)
        {
            var pairs = new SortedDictionary<string, string>(StringComparer.Ordinal);
            if (labels is IEnumerable<KeyValuePair<string, string>> typed)
                foreach (var kv in typed) pairs[kv.Key] = kv.Value;
            else if (labels is System.Collections.IDictionary dictionary)
                foreach (System.Collections.DictionaryEntry e in dictionary) pairs[e.Key?.ToString() ?? ""] = e.Value?.ToString() ?? "";
            if (pairs.Count == 0) return "-";
            var sb = new StringBuilder();
            foreach (var kv in pairs)
            {
                if (sb.Length > 0) sb.Append(',');
                sb.Append(kv.Key).Append('=').Append(kv.Value);
            }
            return sb.ToString();
        }
    }
}
