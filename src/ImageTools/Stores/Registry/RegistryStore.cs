using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ImageTools.Oci;

namespace ImageTools.Stores.Registry
{
    /// <summary>
    /// The distribution registry's filesystem storage (<c>docker/registry/v2</c>) as an image store: blobs from
    /// <c>blobs/&lt;alg&gt;/&lt;2 hex&gt;/&lt;hex&gt;/data</c>, names from tags (<c>&lt;repository&gt;:&lt;tag&gt;</c>, the
    /// repository as stored), and, on a store from <see cref="WithUntagged"/>, the revisions no tag points at
    /// (<c>&lt;repository&gt;@sha256:&lt;hex&gt;</c>).
    /// </summary>
    public sealed class RegistryStore : IImageStore
    {
        private readonly ConcurrentDictionary<Digest, RegistryManifest> _manifests;
        private readonly bool _includeUntagged;
        private readonly object _gate = new object();
        private List<RegistryRepositoryContents>? _repositories;
        private List<NamedImage>? _images;
        private readonly List<ImageToolsException> _problems = new List<ImageToolsException>();

        public RegistryStore(string path) : this(path, false, null) { }

        private RegistryStore(string path, bool includeUntagged, RegistryStore? shared)
        {
            var root = RegistryLayout.FindRoot(path) ?? throw NotARegistry(path);
            Layout = new RegistryLayout(root);
            Location = Layout.Root;
            _includeUntagged = includeUntagged;
            _manifests = shared?._manifests ?? new ConcurrentDictionary<Digest, RegistryManifest>();
            if (shared != null) _repositories = shared.Repositories;
        }

        public static bool Recognize(string path) => RegistryLayout.FindRoot(path) != null;

        public RegistryLayout Layout { get; }
        public string Location { get; }
        public StoreKind Kind => StoreKind.Registry;
        public IReadOnlyList<ImageToolsException> Problems { get { _ = Images; return _problems; } }

        /// <summary>The same storage, whose names table also lists untagged revisions.</summary>
        public RegistryStore WithUntagged() => _includeUntagged ? this : new RegistryStore(Location, true, this);

        /// <summary>Every repository, loaded once; problems go to <see cref="Problems"/>.</summary>
        public List<RegistryRepositoryContents> Repositories
        {
            get
            {
                lock (_gate)
                {
                    if (_repositories == null)
                    {
                        _repositories = new List<RegistryRepositoryContents>();
                        foreach (var (name, dir) in RepositoryDirectories(e => _problems.Add(e)))
                            _repositories.Add(RegistryRepositoryContents.Load(name, dir, e => _problems.Add(e), Layout.Room));
                    }
                    return _repositories;
                }
            }
        }

        /// <summary>
        /// Repository folders, found as the registry's catalog finds them: every folder under <c>repositories/</c>
        /// holding <c>_manifests</c>; other <c>_</c>-folders are not descended into. Names that break the name
        /// grammar are reported (InvalidRepositoryName, naming the folder) and skipped; symlinks that lead out of
        /// the storage are reported (PathOutsideStore) and not followed.
        /// </summary>
        public IEnumerable<(string Name, string Directory)> RepositoryDirectories(Action<ImageToolsException> onError) =>
            RepositoryFolders(onError).Where(r => r.Valid).Select(r => (r.Name, r.Directory));

        /// <summary>Every folder holding <c>_manifests</c>, with whether its name is a valid repository name (the invalid ones are reported).</summary>
        public List<(string Name, string Directory, bool Valid)> RepositoryFolders(Action<ImageToolsException> onError)
        {
            var found = new List<(string, string, bool)>();
            if (Layout.Room.IsFolder(Layout.RepositoriesDirectory, onError)) Walk(Layout.RepositoriesDirectory, "", found, onError);
            return found;
        }

        private void Walk(string dir, string name, List<(string, string, bool)> found, Action<ImageToolsException> onError)
        {
            List<string> children;
            try { children = Layout.Room.Folders(dir, onError).Select(Path.GetFileName).ToList()!; }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                onError(new ImageToolsException(ErrorId.StoreUnreadable, $"Cannot list {dir}: {e.Message}", dir, dir, e));
                return;
            }
            if (name.Length > 0 && children.Contains("_manifests"))
            {
                var why = RegistryLayout.CheckRepositoryName(name);
                found.Add((name, dir, why == null));
                if (why != null) onError(new ImageToolsException(ErrorId.InvalidRepositoryName,
                    $"Repository folder {dir} is not a valid repository name ('{RegistryLinks.Printable(name)}'): {why}. Skipped.", dir, dir));
            }
            foreach (var child in children)
                if (!child.StartsWith("_", StringComparison.Ordinal))
                    Walk(Path.Combine(dir, child), name.Length == 0 ? child : name + "/" + child, found, onError);
        }

        /// <summary>A manifest or index blob, read and verified once per store.</summary>
        public RegistryManifest ReadManifest(Digest digest)
        {
            if (_manifests.TryGetValue(digest, out var m)) return m;
            m = RegistryManifest.Read(Layout, digest);
            _manifests[digest] = m;
            return m;
        }

        public IReadOnlyList<NamedImage> Images
        {
            get
            {
                lock (_gate) { if (_images != null) return _images; }
                var images = new List<NamedImage>();
                foreach (var repo in Repositories)
                {
                    foreach (var tag in repo.Tags)
                        Add(images, repo.Name + ":" + tag.Name, tag.Current);
                    if (_includeUntagged)
                        foreach (var digest in UntaggedRevisions(repo, e => _problems.Add(e)))
                            Add(images, repo.Name + "@" + digest, digest);
                }
                lock (_gate) { _images ??= images; return _images; }
            }
        }

        private void Add(List<NamedImage> images, string name, Digest digest)
        {
            try { images.Add(new NamedImage(name, ReadManifest(digest).ToDescriptor())); }
            catch (ImageToolsException e) { _problems.Add(e); }
        }

        /// <summary>
        /// Revisions of a repository that no tag points at, directly or as a child of a tagged index (those
        /// children belong to their index and are not untagged).
        /// </summary>
        public List<Digest> UntaggedRevisions(RegistryRepositoryContents repo, Action<ImageToolsException> onError)
        {
            var reachable = ReachableManifests(repo.TaggedDigests(), onError);
            return repo.Revisions.Select(r => r.Digest).Where(d => !reachable.Contains(d)).ToList();
        }

        /// <summary>The manifests and indexes reachable from <paramref name="roots"/> through index children.</summary>
        public HashSet<Digest> ReachableManifests(IEnumerable<Digest> roots, Action<ImageToolsException> onError)
        {
            var seen = new HashSet<Digest>();
            var stack = new Stack<Digest>(roots);
            while (stack.Count > 0)
            {
                var d = stack.Pop();
                if (!seen.Add(d)) continue;
                RegistryManifest m;
                try { m = ReadManifest(d); }
                catch (ImageToolsException e) { onError(e); continue; }
                foreach (var c in m.Children) if (RegistryManifest.IsManifestLike(c)) stack.Push(c.Digest);
            }
            return seen;
        }

        /// <summary>True when the blob's data file is there; also when it may not be opened (a FIFO, a symlink out of the storage), so that <see cref="OpenBlob"/> says why.</summary>
        public bool HasBlob(Digest digest)
        {
            try { return Layout.Room.IsReadableFile(Layout.BlobData(digest), "Blob data"); }
            catch (ImageToolsException) { return true; }
        }

        /// <summary>Opens a blob's data file, after checking it is a regular file inside the storage (NotARegularFile, PathOutsideStore).</summary>
        public Stream OpenBlob(Digest digest)
        {
            Layout.Room.IsReadableFile(Layout.BlobData(digest), "Blob data");
            return BlobFiles.Open(this, digest, Layout.BlobData(digest));
        }

        public string DescribeBlob(Digest digest) => Layout.BlobData(digest);

        public IEnumerable<Digest> EnumerateBlobs() => BlobDirectories(_ => { }).Select(b => b.Digest);

        /// <summary>Every blob folder under <c>blobs/</c>; folders whose names are not digests are reported.</summary>
        public IEnumerable<RegistryLink> BlobDirectories(Action<ImageToolsException> onError)
        {
            var room = Layout.Room;
            if (!room.IsFolder(Layout.BlobsDirectory, onError)) yield break;
            foreach (var algDir in room.Folders(Layout.BlobsDirectory, onError))
            {
                string alg = Path.GetFileName(algDir);
                foreach (var prefixDir in room.Folders(algDir, onError))
                    foreach (var dir in room.Folders(prefixDir, onError))
                    {
                        string hex = Path.GetFileName(dir);
                        if (!Digest.TryParse(alg + ":" + hex, out var digest, out var reason) || !hex.StartsWith(Path.GetFileName(prefixDir), StringComparison.Ordinal))
                        {
                            onError(new ImageToolsException(ErrorId.InvalidDigest,
                                $"Blob folder {dir} is not named by a digest: {reason ?? "it is not under the folder of its first two characters"}.", dir, dir));
                            continue;
                        }
                        yield return new RegistryLink(digest!, dir);
                    }
            }
        }

        public void Dispose() { }

        internal static ImageToolsException NotARegistry(string path) =>
            new ImageToolsException(ErrorId.StoreNotRecognized,
                $"{path} is not a registry store: found no docker/registry/v2 folder with blobs/ or repositories/ under it.", path, path);
    }
}
