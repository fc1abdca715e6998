using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ImageTools.Oci;

namespace ImageTools.Stores.Docker
{
    /// <summary>The layer database (<c>image/&lt;driver&gt;/layerdb/sha256</c>), its entries' small files read ahead on another thread.</summary>
    internal sealed partial class DockerRoot
    {
        private void LoadLayers()
        {
            string dir = Path.Combine(ImageRoot, "layerdb", "sha256");
            if (!Directory.Exists(dir)) return;
            var entries = LayerDbEntries(dir, out bool plainInside);
            // the entries' small files are read on another thread while each layer is checked here, in the same order
            var ahead = new ReadAhead<LayerFiles>(entries.Count, i => plainInside && entries[i].IsPlainDirectory ? LayerFiles.Read(Path.Combine(dir, entries[i].Name)) : LayerFiles.None,
                "ImageTools layerdb read-ahead");
            try
            {
                for (int i = 0; i < entries.Count; i++)
                {
                    string name = entries[i].Name;
                    string entry = Path.Combine(dir, name);
                    if (name.EndsWith("-removing", StringComparison.Ordinal)) { _removingLayers.Add(entry); continue; }
                    if (!Digest.TryParse("sha256:" + name, out var chainId, out var reason))
                    {
                        Fail(ErrorId.InvalidDigest, $"The layerdb folder {entry} is not named by a ChainID: {reason}.", entry);
                        continue;
                    }
                    // a plain folder of a layerdb/sha256 inside the root is inside it: no lstat
                    if (!(plainInside && entries[i].IsPlainDirectory) && !IsInside(entry, "layerdb entry")) continue;
                    var files = ahead.Take(i);
                    _preRead = files.Texts;
                    LoadLayer(entry, chainId!, files.TarSplit);
                    _preRead = null;
                }
            }
            finally
            {
                _preRead = null;
                ahead.Stop();
            }
        }

        /// <summary>The folders of layerdb/sha256 (symlinks to folders too) in listing order; <paramref name="plainInside"/>: the folder itself is inside the root.</summary>
        private List<FolderEntry> LayerDbEntries(string dir, out bool plainInside)
        {
            var list = FolderEntries.Read(dir);
            plainInside = false;
            if (list == null) return Directory.EnumerateDirectories(dir).Select(d => new FolderEntry(Path.GetFileName(d), FolderEntry.UnknownType)).ToList();
            var first = list.FirstOrDefault(e => e.IsPlainDirectory);
            plainInside = first.Name != null && Boundary.IsInside(Path.Combine(dir, first.Name));
            return list.Where(e => e.IsPlainDirectory
                || ((e.Type == FolderEntry.UnknownType || e.Type == FolderEntry.SymlinkType) && Directory.Exists(Path.Combine(dir, e.Name)))).ToList();
        }

        private void LoadLayer(string entry, Digest chainId, bool? hasTarSplit)
        {
            var layer = new DockerLayer(this, chainId) { LayerDbPath = entry };
            layer.DiffIdValue = ReadDigestFile(Path.Combine(entry, "diff"), "layer DiffID", true);
            layer.ParentValue = ReadDigestFile(Path.Combine(entry, "parent"), "layer parent", false);
            layer.CacheId = ReadDirectoryId(Path.Combine(entry, "cache-id"), "layer cache-id");
            layer.HasTarSplit = hasTarSplit ?? FileExists(Path.Combine(entry, "tar-split.json.gz"));
            string? size = SafeRead(Path.Combine(entry, "size"));
            if (size != null)
            {
                if (long.TryParse(size.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long n)) layer.Size = n;
                else Fail(ErrorId.MalformedContent, $"The layer size {Path.Combine(entry, "size")} holds '{Printable(size)}', not a number.", Path.Combine(entry, "size"), affectsUse: false);
            }
            if (layer.CacheId != null)
            {
                layer.OverlayPath = DriverDirectory(layer.CacheId);
                layer.DiffPath = DiffDirectory(layer.CacheId);
                layer.DirectoryExists = layer.OverlayPath != null && DriverDirectoryExists(layer.CacheId);
                if (!DriverPathsInside(layer.OverlayPath, layer.DiffPath, $"layer {chainId}")) layer.DiffPath = null;
            }
            _layers[chainId] = layer;
        }

        /// <summary>Small files read ahead for the entry being loaded, by path (taken by <see cref="TryReadSmallText"/>); null: read in line.</summary>
        private Dictionary<string, PreRead>? _preRead;

        /// <summary>One small file read on another thread: its text (null: missing) or what reading it threw, thrown again where it is taken.</summary>
        private sealed class PreRead
        {
            private readonly string? _text;
            private readonly System.Runtime.ExceptionServices.ExceptionDispatchInfo? _failure;

            private PreRead(string? text, System.Runtime.ExceptionServices.ExceptionDispatchInfo? failure) { _text = text; _failure = failure; }

            public static PreRead Of(string file)
            {
                try { return new PreRead(UnixFile.ReadSmallText(file, 4096), null); }
                catch (Exception e) { return new PreRead(null, System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e)); }
            }

            public string? Text()
            {
                _failure?.Throw();
                return _text;
            }
        }

        /// <summary>The small files of one layerdb entry, read ahead (none for an entry that is not a plain folder: read in line).</summary>
        private sealed class LayerFiles
        {
            public static readonly LayerFiles None = new LayerFiles(null, null);

            private LayerFiles(Dictionary<string, PreRead>? texts, bool? tarSplit) { Texts = texts; TarSplit = tarSplit; }

            public Dictionary<string, PreRead>? Texts { get; }
            public bool? TarSplit { get; }

            public static LayerFiles Read(string entry)
            {
                var texts = new Dictionary<string, PreRead>(StringComparer.Ordinal);
                foreach (var name in new[] { "diff", "parent", "cache-id", "size" })
                {
                    string file = Path.Combine(entry, name);
                    texts[file] = PreRead.Of(file);
                }
                bool? tarSplit;
                try { tarSplit = FileExists(Path.Combine(entry, "tar-split.json.gz")); }
                catch (Exception) { tarSplit = null; }
                return new LayerFiles(texts, tarSplit);
            }
        }
    }
}
