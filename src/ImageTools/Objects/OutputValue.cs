using System;
using System.Collections.Generic;
using System.Globalization;
using ImageTools.Oci;

namespace ImageTools
{
    /// <summary>
    /// The one boundary between typed internal values and output objects. An output object shows a digest as its text
    /// (<c>sha256:…</c>), so ConvertTo-Json, Export-Csv and remoting see a string and <c>-eq 'sha256:…'</c> behaves the
    /// same before and after deserialization. Code that needs the digest back keeps the typed twin of the property
    /// (named <c>&lt;Property&gt;Value</c>) or parses the text again with <see cref="ToDigest"/>.
    /// </summary>
    internal static class OutputValue
    {
        public static string ToOutput(this Digest digest) => digest.ToString();

        public static string? ToOutputOrNull(this Digest? digest) => digest?.ToString();

        public static ValueList ToOutput(this IEnumerable<Digest>? digests) => ValueList.Of(digests);

        /// <summary>
        /// A time as ISO 8601 text in UTC (<c>2026-12-01T17:00:00.5Z</c>): Export-Csv writes a date's ToString(), which
        /// follows the current culture, and remoting turns a DateTimeOffset into a property bag; text is the same
        /// everywhere. [datetime] or [datetimeoffset] of the text gives the time back.
        /// </summary>
        public static string? ToOutput(this DateTimeOffset? time) =>
            time?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

        public static string ToOutput(this DateTimeOffset time) => ToOutput((DateTimeOffset?)time)!;

        /// <summary>The text an output object holds, as a digest again (validated: a changed or foreign text is an InvalidDigestException).</summary>
        public static Digest ToDigest(string text) => Digest.Parse(text);
    }
}
