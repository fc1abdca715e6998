using System;
using ImageTools.Bolt;

namespace ImageTools.Stores.Containerd
{
    /// <summary>
    /// Reads a google.protobuf.Any as containerd stores it (container spec, runtime options): field 1 type_url
    /// (string), field 2 value (bytes). Only what is needed to show the type and a JSON spec.
    /// </summary>
    internal static class ProtobufAny
    {
        public static bool TryRead(ReadOnlyMemory<byte> data, out string typeUrl, out ReadOnlyMemory<byte> value)
        {
            typeUrl = "";
            value = ReadOnlyMemory<byte>.Empty;
            var span = data.Span;
            int pos = 0;
            while (pos < span.Length)
            {
                if (!GoEncoding.TryReadUvarint(span.Slice(pos), out ulong tag, out int n)) return false;
                pos += n;
                int wire = (int)(tag & 7);
                ulong field = tag >> 3;
                if (wire == 0)
                {
                    if (!GoEncoding.TryReadUvarint(span.Slice(pos), out _, out n)) return false;
                    pos += n;
                    continue;
                }
                if (wire != 2) return false;
                if (!GoEncoding.TryReadUvarint(span.Slice(pos), out ulong len, out n)) return false;
                pos += n;
                if (len > (ulong)(span.Length - pos)) return false;
                var slice = data.Slice(pos, (int)len);
                if (field == 1) typeUrl = BoltBytes.ToText(slice);
                else if (field == 2) value = slice;
                pos += (int)len;
            }
            return true;
        }
    }
}
