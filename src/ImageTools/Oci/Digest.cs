using System;

namespace ImageTools.Oci
{
    /// <summary>
    /// A content digest, <c>algorithm:encoded</c>, as defined by the OCI image spec (descriptor.md#digests).
    /// Always validated on construction, so a <see cref="Digest"/> can safely become part of a path.
    /// </summary>
    public sealed class Digest : IEquatable<Digest>, IComparable<Digest>
    {

        public const string Sha256 = "sha256";
        public const string Sha512 = "sha512";

        // The text is kept whole: stores hold one Digest per record (tens of thousands), and printing, comparing and
        // hashing them is what lists do most. The encoded part is cut out only when a path needs it.
        private readonly string _value;
        private string? _encoded;
        private int _hash;

        public string Algorithm { get; }
        public string Encoded => _encoded ??= _value.Substring(Algorithm.Length + 1);

        /// <summary><paramref name="value"/> is <c>algorithm:encoded</c>, already validated.</summary>
        private Digest(string algorithm, string value)
        {
            Algorithm = algorithm;
            _value = value;
        }

        /// <summary>True when the algorithm is one this module can compute (sha256, sha512).</summary>
        public bool IsSupported => Algorithm == Sha256 || Algorithm == Sha512;

        public static Digest Parse(string? value)
        {
            if (TryParse(value, out var digest, out var reason)) return digest!;
            throw new InvalidDigestException(value ?? "", reason!);
        }

        public static bool TryParse(string? value, out Digest? digest) => TryParse(value, out digest, out _);

        public static bool TryParse(string? value, out Digest? digest, out string? reason)
        {
            // The common case, a well-formed sha256 digest, is checked without building substrings first.
            if (value != null && value.Length == 71 && value.StartsWith("sha256:", StringComparison.Ordinal) && Hex.IsLowerHex(value, 7))
            {
                digest = new Digest(Sha256, value);
                reason = null;
                return true;
            }
            digest = null;
            reason = Validate(value);
            if (reason != null) return false;
            int colon = value!.IndexOf(':');
            string algorithm = value.Substring(0, colon);
            digest = new Digest(algorithm == Sha256 ? Sha256 : algorithm == Sha512 ? Sha512 : algorithm, value);
            return true;
        }

        /// <summary>Builds a digest from an algorithm and lowercase hex (for example a file name in a blob folder).</summary>
        public static Digest FromHex(string algorithm, string hex) => Parse(algorithm + ":" + hex);

        public static Digest FromBytes(string algorithm, byte[] hash) => Parse(Hex.Encode(algorithm + ":", hash));

        private static string? Validate(string? value)
        {
            if (string.IsNullOrEmpty(value)) return "the digest is empty";
            int colon = value!.IndexOf(':');
            if (colon < 0) return "it has no ':' between algorithm and encoded part";
            if (value.Length > 1024) return "it is longer than 1024 characters";
            string algorithm = value.Substring(0, colon);
            string encoded = value.Substring(colon + 1);
            if (algorithm.Length == 0) return "the algorithm before ':' is empty";
            if (encoded.Length == 0) return "the encoded part after ':' is empty";
            if (!IsAlgorithm(algorithm)) return $"algorithm '{algorithm}' does not match [a-z0-9]+([+._-][a-z0-9]+)*";
            if (!IsEncoded(encoded)) return "the encoded part contains characters outside [a-zA-Z0-9=_-]";
            switch (algorithm)
            {
                case Sha256:
                    if (encoded.Length != 64) return $"a sha256 digest has 64 hex characters, this one has {encoded.Length}";
                    if (!Hex.IsLowerHex(encoded)) return "a sha256 digest is lowercase hex";
                    break;
                case Sha512:
                    if (encoded.Length != 128) return $"a sha512 digest has 128 hex characters, this one has {encoded.Length}";
                    if (!Hex.IsLowerHex(encoded)) return "a sha512 digest is lowercase hex";
                    break;
            }
            return null;
        }

        // Hand-written grammar checks: digests are parsed for every record of a large store, and a regex costs more.

        /// <summary><c>[a-z0-9]+([+._-][a-z0-9]+)*</c></summary>
        private static bool IsAlgorithm(string s)
        {
            bool previousWasSeparator = true;
            foreach (char c in s)
            {
                bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
                if (alnum) { previousWasSeparator = false; continue; }
                if ((c == '+' || c == '.' || c == '_' || c == '-') && !previousWasSeparator) { previousWasSeparator = true; continue; }
                return false;
            }
            return !previousWasSeparator;
        }

        /// <summary><c>[a-zA-Z0-9=_-]+</c></summary>
        private static bool IsEncoded(string s)
        {
            foreach (char c in s)
                if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '=' || c == '_' || c == '-')) return false;
            return s.Length > 0;
        }

        public override string ToString() => _value;

        /// <summary>The first 12 hex characters, as docker prints image IDs.</summary>
        public string Short => Encoded.Length > 12 ? Encoded.Substring(0, 12) : Encoded;

        public bool Equals(Digest? other) => other is object && (ReferenceEquals(other._value, _value) || string.Equals(other._value, _value, StringComparison.Ordinal));
        public override bool Equals(object? obj) => Equals(obj as Digest);

        public override int GetHashCode()
        {
            // 0 means not computed yet; a hash that is 0 itself is simply computed again
            if (_hash == 0) _hash = StringComparer.Ordinal.GetHashCode(_value);
            return _hash;
        }

        public int CompareTo(Digest? other) => other is null ? 1 : string.CompareOrdinal(_value, other._value);
        public static bool operator ==(Digest? a, Digest? b) => ReferenceEquals(a, b) || (a is object && a.Equals(b));
        public static bool operator !=(Digest? a, Digest? b) => !(a == b);
    }

    /// <summary>Raised when a string is not a valid digest; the message says why.</summary>
    public sealed class InvalidDigestException : FormatException
    {
        public string Value { get; }
        public string Reason { get; }

        public InvalidDigestException(string value, string reason)
            : base($"'{Truncate(value)}' is not a valid digest: {reason}.")
        {
            Value = value;
            Reason = reason;
        }

        private static string Truncate(string s) => s.Length > 160 ? s.Substring(0, 160) + "..." : s;
    }
}
