using System;
using System.Collections.Generic;
using System.IO;
using ImageTools.Content.Archives;

namespace ImageTools.Content
{
    /// <summary>
    /// An archive read in place: one pass over the headers records where each entry's data lies, then any entry
    /// can be opened at random without extracting anything. Entries with unsafe names are kept out of the
    /// index and listed in <see cref="Problems"/>. A tar compressed whole (gzip, bzip2, xz, zstd) is read the same way
    /// through its <see cref="IArchiveSource"/>.
    /// </summary>
    public sealed class TarIndex
    {
        private const int MaxLinkHops = 16;
        private readonly Dictionary<string, TarEntry> _entries = new Dictionary<string, TarEntry>(StringComparer.Ordinal);
        private readonly List<ImageToolsException> _problems = new List<ImageToolsException>();
        private readonly Dictionary<TarEntry, ListedEntryDigest> _digests = new Dictionary<TarEntry, ListedEntryDigest>();

        private IArchiveSource _source = null!;

        public string ArchivePath { get; }
        /// <summary>How the whole archive is compressed (None for a plain tar).</summary>
        public ArchiveCodec Codec => _source.Codec;
        /// <summary>The memory the restart points of a compressed archive take, in bytes.</summary>
        public long IndexBytes => _source.IndexBytes;
        public IReadOnlyCollection<TarEntry> Entries => _entries.Values;
        public IReadOnlyList<ImageToolsException> Problems => _problems;

        private TarIndex(string archivePath) { ArchivePath = archivePath; }

        /// <param name="archivePath">The tar file, plain or compressed whole.</param>
        /// <param name="digests">What to digest of each regular entry during the listing pass of a compressed archive
        /// (a plain tar is left alone: its blobs are read in parallel by offset at no decompression cost).</param>
        public static TarIndex Read(string archivePath, EntryDigestMode digests = EntryDigestMode.None)
        {
            var index = new TarIndex(archivePath);
            index._source = ArchiveSources.Open(archivePath);
            if (index._source.Codec == ArchiveCodec.None) digests = EntryDigestMode.None;
            using var file = index._source.OpenFirstPass();
            var reader = new TarReader(file, archivePath);
            TarEntry? entry;
            while ((entry = reader.Next()) != null)
            {
                var clean = EntryPath.Clean(entry.Name, out var reason);
                if (clean == null)
                {
                    index._problems.Add(new ImageToolsException(ErrorId.UnsafeEntryPath,
                        $"{archivePath}: entry '{entry.Name}' is ignored: {reason}.", entry.Name, archivePath));
                    continue;
                }
                entry.Name = clean;
                index._entries[clean] = entry;
                if (digests != EntryDigestMode.None && entry.Type == TarEntryType.File)
                    index._digests[entry] = EntryDigester.Digest(reader.OpenData(), entry.Size, AlgorithmOf(clean),
                        digests == EntryDigestMode.BlobAndContent, $"{archivePath}:{clean}");
            }
            index._source.CompleteFirstPass(file);
            return index;
        }

        /// <summary>An OCI layout's blobs/sha512/... is hashed with sha512; everything else (docker save's layer.tar and json) with sha256.</summary>
        private static string AlgorithmOf(string name) =>
            name.StartsWith("blobs/" + Oci.Digest.Sha512 + "/", StringComparison.Ordinal) ? Oci.Digest.Sha512 : Oci.Digest.Sha256;

        /// <summary>The entry's digests as the listing pass computed them, when it was asked to.</summary>
        public ListedEntryDigest? ListedDigest(TarEntry entry) => _digests.TryGetValue(entry, out var d) ? d : null;

        public bool Contains(string name) => Find(name) != null;

        /// <summary>The regular-file entry at <paramref name="name"/>, following symlinks and hard links inside the archive.</summary>
        public TarEntry? Find(string name)
        {
            var clean = EntryPath.Clean(name, out _);
            for (int hop = 0; clean != null && hop < MaxLinkHops; hop++)
            {
                if (!_entries.TryGetValue(clean, out var e)) return null;
                switch (e.Type)
                {
                    case TarEntryType.File: return e;
                    case TarEntryType.Symlink: clean = EntryPath.ResolveLink(clean, e.LinkName); break;
                    case TarEntryType.Hardlink: clean = EntryPath.Clean(e.LinkName, out _); break;
                    default: return null;
                }
            }
            return null;
        }

        public Stream Open(TarEntry entry) => _source.OpenRegion(entry.DataOffset, entry.Size);

        public byte[] ReadAll(TarEntry entry, long maxSize)
        {
            if (entry.Size > maxSize)
                throw new ImageToolsException(ErrorId.ContentTooLarge,
                    $"{ArchivePath}: entry '{entry.Name}' has {entry.Size} bytes, more than the {maxSize} expected for it.", entry.Name, ArchivePath);
            using var s = Open(entry);
            var data = new byte[entry.Size];
            s.ReadFully(data);
            return data;
        }
    }
}
