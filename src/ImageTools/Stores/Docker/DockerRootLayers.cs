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
            var entries = SubFolders(dir, out bool plainInside);
            using var folder = plainInside ? FolderHandle.TryOpen(dir) : null;
            // the entries' small files are read on another thread while each layer is checked here, in the same order
            var ahead = new ReadAhead<LayerFiles>(entries.Count, i => plainInside && entries[i].IsPlainDirectory ? LayerFiles.Read(folder, dir, entries[i].Name) : LayerFiles.None,
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
                    UsePreRead(entry, files.Texts);
                    LoadLayer(entry, chainId!);
                    UsePreRead(entry, null);
                }
            }
            finally
            {
                _preRead = null;
                ahead.Finish(); // before the folder handle is closed
            }
        }

        private const string TarSplitName = "tar-split.json.gz";

        private void LoadLayer(string entry, Digest chainId)
        {
            var layer = new DockerLayer(this, chainId) { LayerDbPath = entry };
            layer.DiffIdValue = ReadDigestFile(new EntryFile(entry, "diff"), "layer DiffID", true);
            layer.ParentValue = ReadDigestFile(new EntryFile(entry, "parent"), "layer parent", false);
            layer.CacheId = ReadDirectoryId(new EntryFile(entry, "cache-id"), "layer cache-id");
            if (layer.CacheId != null)
            {
                layer.DirectoryExists = DriverRoot != null && DriverDirectoryExists(layer.CacheId);
                layer.DiffInside = DriverPathsInside(layer.CacheId, "layer {0}", chainId);
            }
            _layers[chainId] = layer;
        }

        /// <summary>The small files of one layerdb entry that say where the layer is and what uses it, read ahead (none for an entry that is not a plain folder: read in line).</summary>
        private sealed class LayerFiles
        {
            public static readonly LayerFiles None = new LayerFiles(null);

            private LayerFiles(PreReadFiles? texts) { Texts = texts; }

            private static readonly string[] Names = { "diff", "parent", "cache-id" };

            public PreReadFiles? Texts { get; }

            /// <param name="handle">layerdb/sha256 held open, or null.</param>
            /// <param name="layerDb">layerdb/sha256.</param>
            /// <param name="name">The entry's folder name in it.</param>
            public static LayerFiles Read(FolderHandle? handle, string layerDb, string name) => new LayerFiles(PreReadFiles.Read(handle, layerDb, name, Names));
        }

        private volatile bool _layerDetailsRead;

        /// <summary>
        /// Reads each layer's <c>size</c> and whether its <c>tar-split.json.gz</c> exists, and sums the image sizes, once:
        /// the first time a cmdlet asks (Get-OverlayDirectory never does; 2,000 layers are 8,000 system calls).
        /// Returns the problems this call found (empty when they were read before), also kept in <see cref="Errors"/>.
        /// </summary>
        internal IReadOnlyList<ImageToolsException> EnsureLayerDetails()
        {
            if (_layerDetailsRead) return Array.Empty<ImageToolsException>();
            lock (_layers)
            {
                if (_layerDetailsRead) return Array.Empty<ImageToolsException>();
                _layerDetailsRead = true; // before reading: what the reading touches must not come back here
                int before = _errors.Count;
                foreach (var layer in _layers.Values) LoadLayerDetails(layer);
                foreach (var image in _images.Values)
                {
                    long size = 0;
                    foreach (var chain in image.LayerChainIdValues)
                        if (_layers.TryGetValue(chain, out var layer)) size += layer.SizeValue ?? 0;
                    image.SizeValue = size;
                }
                return _errors.Skip(before).ToList();
            }
        }

        private void LoadLayerDetails(DockerLayer layer)
        {
            string entry = layer.LayerDbPath;
            try { layer.HasTarSplitValue = FileExists(entry, TarSplitName); }
            catch (Exception e) when (ExpectedFailures.IsExpected(e)) { layer.HasTarSplitValue = false; }
            string? size = SafeRead(new EntryFile(entry, "size"));
            if (size == null) return;
            if (long.TryParse(size.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long n)) layer.SizeValue = n;
            else Fail(ErrorId.MalformedContent, $"The layer size {Path.Combine(entry, "size")} holds '{Printable(size)}', not a number.", Path.Combine(entry, "size"), affectsUse: false);
        }
    }
}
