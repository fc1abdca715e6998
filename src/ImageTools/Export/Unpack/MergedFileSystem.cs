using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using ImageTools.Content;
using ImageTools.Oci;

namespace ImageTools.Export.Unpack
{
    /// <summary>A file a later layer replaced or deleted: the space it still takes in the image.</summary>
    internal sealed class HiddenFile
    {
        public HiddenFile(string path, long size, int layer, int hiddenBy) { Path = path; Size = size; Layer = layer; HiddenBy = hiddenBy; }
        public string Path { get; }
        public long Size { get; }
        public int Layer { get; }
        public int HiddenBy { get; }
    }

    /// <summary>Reads every layer of a platform manifest into a <see cref="RootfsTree"/>: the filesystem a container of the image sees.</summary>
    internal sealed class MergedFileSystem
    {
        public RootfsTree Tree { get; } = new RootfsTree();
        public List<HiddenFile> Hidden { get; } = new List<HiddenFile>();

        /// <summary>Bytes of regular-file content over all layers (every copy counted).</summary>
        public long TotalFileBytes { get; private set; }
        public int LayerCount { get; private set; }

        /// <param name="m">The platform manifest whose layers to read, bottom first.</param>
        /// <param name="onWarning">Layers that end without end-of-archive blocks.</param>
        /// <param name="hashContent">Digest each file's content (sha256) as it streams.</param>
        /// <param name="onError">Entry errors (unsafe paths) and layer errors (missing blob, digest mismatch, truncation); reading goes on with the next entry or layer.</param>
        public static MergedFileSystem Build(ImageManifestInfo m, bool hashContent, Action<Exception> onError, Action<string> onWarning)
        {
            var fs = new MergedFileSystem();
            fs.Tree.OnHidden = (node, by) => fs.Hidden.Add(new HiddenFile("/" + node.RelativePath, node.Content!.Size, node.Layer, by));
            var layers = m.Manifest.Layers;
            fs.LayerCount = layers.Count;
            byte[]? buffer = hashContent ? new byte[1 << 20] : null;
            for (int i = 0; i < layers.Count; i++)
            {
                try
                {
                    using var layer = new LayerSource(m.Store, layers[i], i, m.ImageName, verifyFirst: true);
                    fs.Tree.Location = layer.Location;
                    TarEntry? e;
                    while ((e = layer.Next()) != null)
                    {
                        if (e.Type == TarEntryType.File) fs.TotalFileBytes += e.Size;
                        TreeChange change;
                        try { change = fs.Tree.Apply(e, i, layers[i].Digest); }
                        catch (ImageToolsException ex) when (ex.ErrorId == ErrorId.UnsafeEntryPath || ex.ErrorId == ErrorId.MalformedContent)
                        {
                            onError(ex);
                            continue;
                        }
                        if (buffer != null && change.Written?.Content != null && change.Written.TarType == TarEntryType.File)
                            change.Written.Content.Digest = HashData(layer.Reader, buffer);
                    }
                    layer.Finish(onWarning);
                }
                catch (Exception ex) when (ex is ImageToolsException || ex is System.IO.IOException || ex is System.IO.InvalidDataException || ex is InvalidDigestException)
                {
                    onError(ex);
                }
            }
            return fs;
        }

        private static Digest HashData(TarReader reader, byte[] buffer)
        {
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            using var data = reader.OpenData();
            int n;
            while ((n = data.Read(buffer, 0, buffer.Length)) > 0) sha.AppendData(buffer, 0, n);
            return Digest.FromBytes("sha256", sha.GetHashAndReset());
        }

        /// <summary>The final filesystem, folders before their contents, names in ordinal order.</summary>
        public IEnumerable<FileSystemEntry> Entries()
        {
            var primary = new Dictionary<FileContent, TreeNode>();
            foreach (var node in Tree.Walk())
            {
                var entry = node.Entry!;
                var content = node.Content;
                if (content != null && (entry.TypeValue == TarEntryType.File || entry.TypeValue == TarEntryType.Hardlink))
                {
                    // The name the content was first written under is the file; other names are hard links to it.
                    // When that name is gone, the first remaining name (in this order) takes its place.
                    if (!primary.TryGetValue(content, out var first))
                        primary[content] = first = content.First.Detached ? node : content.First;
                    entry.TypeValue = first == node ? TarEntryType.File : TarEntryType.Hardlink;
                    entry.LinkTarget = first == node ? null : "/" + first.RelativePath;
                    entry.Size = content.Size;
                    entry.ContentDigestValue = content.Digest;
                }
                yield return entry;
            }
        }
    }
}
