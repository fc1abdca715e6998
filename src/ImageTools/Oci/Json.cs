using System;
using System.Collections.Generic;
using System.Text.Json;

namespace ImageTools.Oci
{
    /// <summary>
    /// Typed reads from a <see cref="JsonElement"/> that fail with a <see cref="ContentFormatException"/> naming the
    /// document and the field, instead of an InvalidOperationException from System.Text.Json.
    /// </summary>
    internal static class Json
    {
        public static JsonDocument ParseDocument(byte[] bytes, string what)
        {
            try
            {
                return JsonDocument.Parse(bytes, new JsonDocumentOptions { AllowTrailingCommas = false, MaxDepth = 64 });
            }
            catch (JsonException e)
            {
                throw new ContentFormatException($"The {what} is not valid JSON: {e.Message}", e);
            }
        }

        public static JsonElement RequireObject(JsonElement e, string what)
        {
            if (e.ValueKind != JsonValueKind.Object)
                throw new ContentFormatException($"The {what} is a JSON {Kind(e)}, expected an object.");
            return e;
        }

        public static string? OptionalString(JsonElement obj, string name, string what)
        {
            if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
            if (v.ValueKind != JsonValueKind.String)
                throw new ContentFormatException($"In the {what}, '{name}' is a JSON {Kind(v)}, expected a string.");
            return v.GetString();
        }

        public static string RequireString(JsonElement obj, string name, string what) =>
            OptionalString(obj, name, what) ?? throw new ContentFormatException($"The {what} has no '{name}'.");

        public static long? OptionalInt64(JsonElement obj, string name, string what)
        {
            if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
            if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out long n))
                throw new ContentFormatException($"In the {what}, '{name}' is not an integer.");
            return n;
        }

        public static JsonElement? OptionalObject(JsonElement obj, string name, string what)
        {
            if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
            if (v.ValueKind != JsonValueKind.Object)
                throw new ContentFormatException($"In the {what}, '{name}' is a JSON {Kind(v)}, expected an object.");
            return v;
        }

        public static IEnumerable<JsonElement> OptionalArray(JsonElement obj, string name, string what)
        {
            if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return Array.Empty<JsonElement>();
            if (v.ValueKind != JsonValueKind.Array)
                throw new ContentFormatException($"In the {what}, '{name}' is a JSON {Kind(v)}, expected an array.");
            return v.EnumerateArray();
        }

        public static IReadOnlyList<string> StringArray(JsonElement obj, string name, string what)
        {
            var list = new List<string>();
            foreach (var item in OptionalArray(obj, name, what))
            {
                if (item.ValueKind != JsonValueKind.String)
                    throw new ContentFormatException($"In the {what}, '{name}' holds a JSON {Kind(item)}, expected strings.");
                list.Add(item.GetString()!);
            }
            return list;
        }

        public static IReadOnlyDictionary<string, string> StringMap(JsonElement obj, string name, string what)
        {
            var map = new SortedDictionary<string, string>(StringComparer.Ordinal);
            var o = OptionalObject(obj, name, what);
            if (o == null) return map;
            foreach (var p in o.Value.EnumerateObject())
            {
                if (p.Value.ValueKind != JsonValueKind.String)
                    throw new ContentFormatException($"In the {what}, '{name}.{p.Name}' is a JSON {Kind(p.Value)}, expected a string.");
                map[p.Name] = p.Value.GetString()!;
            }
            return map;
        }

        /// <summary>Keys of an object used as a set (<c>ExposedPorts</c>, <c>Volumes</c>).</summary>
        public static IReadOnlyList<string> ObjectKeys(JsonElement obj, string name, string what)
        {
            var o = OptionalObject(obj, name, what);
            var keys = new List<string>();
            if (o != null) foreach (var p in o.Value.EnumerateObject()) keys.Add(p.Name);
            return keys;
        }

        public static DateTimeOffset? OptionalTime(JsonElement obj, string name, string what)
        {
            var s = OptionalString(obj, name, what);
            if (string.IsNullOrEmpty(s)) return null;
            if (DateTimeOffset.TryParse(s, System.Globalization.CultureInfo.InvariantCulture,
                    System.Globalization.DateTimeStyles.AssumeUniversal, out var t)) return t;
            throw new ContentFormatException($"In the {what}, '{name}' = '{s}' is not an RFC 3339 time.");
        }

        public static string Kind(JsonElement e) => e.ValueKind switch
        {
            JsonValueKind.Object => "object",
            JsonValueKind.Array => "array",
            JsonValueKind.String => "string",
            JsonValueKind.Number => "number",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            JsonValueKind.Null => "null",
            _ => "value",
        };
    }
}
