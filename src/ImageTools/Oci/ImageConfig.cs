using System;
using System.Collections.Generic;
using System.Text.Json;

namespace ImageTools.Oci
{
    /// <summary>One entry of a config's <c>history</c>.</summary>
    public sealed class HistoryEntry
    {
        public DateTimeOffset? Created { get; set; }
        public string? CreatedBy { get; set; }
        public string? Author { get; set; }
        public string? Comment { get; set; }
        public bool EmptyLayer { get; set; }

        public override string ToString() => CreatedBy ?? Comment ?? "";
    }

    /// <summary>An image configuration (image-spec config.md); its digest is the image ID.</summary>
    public sealed class ImageConfig
    {
        public string? Architecture { get; private set; }
        public string? Os { get; private set; }
        public string? OsVersion { get; private set; }
        public string? Variant { get; private set; }
        public DateTimeOffset? Created { get; private set; }
        public string? Author { get; private set; }
        public string? User { get; private set; }
        public IReadOnlyList<string> Entrypoint { get; private set; } = Array.Empty<string>();
        public IReadOnlyList<string> Cmd { get; private set; } = Array.Empty<string>();
        public IReadOnlyList<string> Env { get; private set; } = Array.Empty<string>();
        public string? WorkingDir { get; private set; }
        public IReadOnlyDictionary<string, string> Labels { get; private set; } = new Dictionary<string, string>();
        public IReadOnlyList<string> ExposedPorts { get; private set; } = Array.Empty<string>();
        public IReadOnlyList<string> Volumes { get; private set; } = Array.Empty<string>();
        public string? StopSignal { get; private set; }
        public string? RootFsType { get; private set; }
        public IReadOnlyList<Digest> DiffIds { get; private set; } = Array.Empty<Digest>();
        public IReadOnlyList<HistoryEntry> History { get; private set; } = Array.Empty<HistoryEntry>();

        public static ImageConfig Parse(byte[] json, string what = "image config")
        {
            using var doc = Json.ParseDocument(json, what);
            var root = Json.RequireObject(doc.RootElement, what);
            var c = new ImageConfig
            {
                Architecture = Json.OptionalString(root, "architecture", what),
                Os = Json.OptionalString(root, "os", what),
                OsVersion = Json.OptionalString(root, "os.version", what),
                Variant = Json.OptionalString(root, "variant", what),
                Created = Json.OptionalTime(root, "created", what),
                Author = Json.OptionalString(root, "author", what),
            };
            var cfg = Json.OptionalObject(root, "config", what);
            if (cfg != null)
            {
                string w = what + ", config";
                var e = cfg.Value;
                c.User = Json.OptionalString(e, "User", w);
                c.Entrypoint = Json.StringArray(e, "Entrypoint", w);
                c.Cmd = Json.StringArray(e, "Cmd", w);
                c.Env = Json.StringArray(e, "Env", w);
                c.WorkingDir = Json.OptionalString(e, "WorkingDir", w);
                c.Labels = Json.StringMap(e, "Labels", w);
                c.ExposedPorts = Json.ObjectKeys(e, "ExposedPorts", w);
                c.Volumes = Json.ObjectKeys(e, "Volumes", w);
                c.StopSignal = Json.OptionalString(e, "StopSignal", w);
            }
            var rootfs = Json.OptionalObject(root, "rootfs", what);
            if (rootfs != null)
            {
                c.RootFsType = Json.OptionalString(rootfs.Value, "type", what + ", rootfs");
                var ids = new List<Digest>();
                foreach (var s in Json.StringArray(rootfs.Value, "diff_ids", what + ", rootfs"))
                {
                    try { ids.Add(Digest.Parse(s)); }
                    catch (InvalidDigestException ex) { throw new ContentFormatException($"In the {what}, rootfs.diff_ids: {ex.Message}", ex); }
                }
                c.DiffIds = ids;
            }
            var history = new List<HistoryEntry>();
            int i = 0;
            foreach (var h in Json.OptionalArray(root, "history", what))
            {
                string w = $"{what}, history[{i++}]";
                Json.RequireObject(h, w);
                history.Add(new HistoryEntry
                {
                    Created = Json.OptionalTime(h, "created", w),
                    CreatedBy = Json.OptionalString(h, "created_by", w),
                    Author = Json.OptionalString(h, "author", w),
                    Comment = Json.OptionalString(h, "comment", w),
                    EmptyLayer = h.TryGetProperty("empty_layer", out var el) && el.ValueKind == JsonValueKind.True,
                });
            }
            c.History = history;
            return c;
        }
    }
}
