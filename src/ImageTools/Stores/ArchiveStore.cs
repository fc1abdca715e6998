using System.Collections.Generic;
using System.IO;
using ImageTools.Content;
using ImageTools.Oci;

namespace ImageTools.Stores
{
    /// <summary>
    /// A tar archive read in place: an <c>oci-archive</c> (an OCI layout as a tar), a Docker 25+ or containerd
    /// <c>docker save</c>/<c>ctr export</c> (an OCI layout plus <c>manifest.json</c>), or a legacy <c>docker save</c>
    /// (<c>manifest.json</c> with <c>&lt;id&gt;/layer.tar</c>), whose manifests are synthesized.
    /// </summary>
    public sealed class ArchiveStore : IImageStore
    {
        private readonly TarIndex _tar;
        private readonly Dictionary<Digest, TarEntry> _blobs = new Dictionary<Digest, TarEntry>();
        private readonly Dictionary<Digest, byte[]> _synthesized = new Dictionary<Digest, byte[]>();
        private readonly List<NamedImage> _images = new List<NamedImage>();
        private readonly List<ImageToolsException> _problems = new List<ImageToolsException>();

        public string Location { get; }
        public StoreKind Kind { get; }
        public IReadOnlyList<NamedImage> Images => _images;
        public IReadOnlyList<ImageToolsException> Problems => _problems;

        /// <param name="archivePath">The archive file, plain or compressed whole.</param>
        /// <param name="digests">What the listing pass of a compressed archive digests of each entry, so that a
        /// whole-archive check needs no second decompression (<see cref="ListedDigest"/>).</param>
        public ArchiveStore(string archivePath, Content.Archives.EntryDigestMode digests = Content.Archives.EntryDigestMode.None)
        {
            Location = Path.GetFullPath(archivePath);
            _tar = TarIndex.Read(Location, digests);
            _problems.AddRange(_tar.Problems);
            var index = _tar.Find(OciLayoutStore.IndexFile);
            bool hasDockerManifest = _tar.Find("manifest.json") != null;
            if (index != null)
            {
                Kind = hasDockerManifest ? StoreKind.DockerArchive : StoreKind.OciArchive;
                LoadOciLayout(index);
            }
            else if (hasDockerManifest)
            {
                Kind = StoreKind.DockerArchive;
                new LegacyDockerArchive(this).Load();
            }
            else
            {
                throw new ImageToolsException(ErrorId.StoreNotRecognized,
                    $"{Location} is a tar archive but holds neither index.json (an OCI archive, or a docker save of Docker 25+ or containerd) nor manifest.json (a docker save archive).",
                    Location, Location);
            }
        }

        /// <summary>True when the file, or what it decompresses to (gzip, bzip2, xz, zstd), starts with a valid tar header.</summary>
        public static bool Recognize(string path)
        {
            var codec = Content.Archives.ArchiveCodecs.Detect(path);
            using var f = codec == Content.Archives.ArchiveCodec.None ? ContentFiles.OpenRead(path) : Content.Archives.ArchiveSources.Open(path).OpenFirstPass();
            var block = new byte[TarHeader.BlockSize];
            bool isTar = f.ReadFully(block) == block.Length && StartsWithTarHeader(block);
            // a compressed file whose first bytes are no tar may be damaged further on: its decoder tells (CRCs at the end)
            if (!isTar && codec != Content.Archives.ArchiveCodec.None) Content.Archives.ArchiveSources.Drain(f);
            return isTar;
        }

        private static bool StartsWithTarHeader(byte[] block)
        {
            try { return TarHeader.Parse(block) != null; }
            catch (System.FormatException) { return false; }
        }

        internal TarIndex Tar => _tar;
        internal void AddProblem(ImageToolsException problem) => _problems.Add(problem);
        internal void AddImage(NamedImage image) => _images.Add(image);
        internal void AddBlob(Digest digest, TarEntry entry) => _blobs[digest] = entry;
        internal void AddSynthesized(Digest digest, byte[] content) => _synthesized[digest] = content;

        private void LoadOciLayout(TarEntry indexEntry)
        {
            foreach (var e in _tar.Entries)
            {
                if (e.Type != TarEntryType.File && e.Type != TarEntryType.Symlink && e.Type != TarEntryType.Hardlink) continue;
                var parts = e.Name.Split('/');
                if (parts.Length != 3 || parts[0] != "blobs") continue;
                if (Digest.TryParse(parts[1] + ":" + parts[2], out var d))
                {
                    var target = _tar.Find(e.Name);
                    if (target != null) _blobs[d!] = target;
                }
                else _problems.Add(new ImageToolsException(ErrorId.InvalidDigest,
                    $"{Location}: entry '{e.Name}' is ignored: '{parts[1]}:{parts[2]}' is not a valid digest.", e.Name, Location));
            }
            ImageIndex index;
            var skipped = new List<ContentFormatException>();
            try { index = ImageIndex.ParseLenient(_tar.ReadAll(indexEntry, BlobReader.MaxManifestSize), $"index.json of {Location}", skipped); }
            catch (ContentFormatException e) { throw StoreErrors.Malformed(Location + ":index.json", e.Message, e); }
            foreach (var p in skipped) _problems.Add(StoreErrors.Malformed(Location + ":index.json", p.Message, p));
            _images.AddRange(IndexNames.FromIndex(index));
        }

        public bool HasBlob(Digest digest) => _blobs.ContainsKey(digest) || _synthesized.ContainsKey(digest);

        public Stream OpenBlob(Digest digest)
        {
            if (_synthesized.TryGetValue(digest, out var bytes)) return new MemoryStream(bytes, false);
            if (_blobs.TryGetValue(digest, out var entry)) return _tar.Open(entry);
            throw StoreErrors.BlobNotFound(this, digest);
        }

        /// <summary>The blob's digests as the listing pass computed them; null when it was not asked to (or the blob is synthesized).</summary>
        internal Content.Archives.ListedEntryDigest? ListedDigest(Digest digest) =>
            _blobs.TryGetValue(digest, out var entry) ? _tar.ListedDigest(entry) : null;

        public string DescribeBlob(Digest digest)
        {
            if (_synthesized.ContainsKey(digest)) return $"{Location} (synthesized manifest)";
            if (_blobs.TryGetValue(digest, out var entry)) return $"{Location}:{entry.Name}";
            return $"{Location}:blobs/{digest.Algorithm}/{digest.Encoded}";
        }

        public IEnumerable<Digest> EnumerateBlobs()
        {
            foreach (var d in _synthesized.Keys) yield return d;
            foreach (var d in _blobs.Keys) yield return d;
        }

        public void Dispose() { }
    }
}
