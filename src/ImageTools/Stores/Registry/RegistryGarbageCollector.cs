using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using ImageTools.Oci;

namespace ImageTools.Stores.Registry
{
    /// <summary>Settings of a garbage search.</summary>
    public sealed class RegistryGarbageOptions
    {
        /// <summary>Also collect manifests no tag points at (docker-registry garbage-collect --delete-untagged), keeping index children.</summary>
        public bool IncludeUntagged { get; set; }

        /// <summary>Uploads started at least this long ago are stale (the registry's own upload purging default: 168h).</summary>
        public TimeSpan UploadAge { get; set; } = TimeSpan.FromHours(168);

        public DateTimeOffset Now { get; set; } = DateTimeOffset.UtcNow;
    }

    /// <summary>The candidates of a search, and whether marking could read and trust everything it had to.</summary>
    public sealed class RegistryGarbageReport
    {
        public List<RegistryGarbage> Items { get; } = new List<RegistryGarbage>();

        /// <summary>
        /// False when something marking needed could not be read or trusted (a link, a manifest or index, a
        /// repository folder, a blob folder): what only it refers to would wrongly look unreferenced.
        /// </summary>
        public bool MarkingComplete => Unread.Count == 0;

        /// <summary>What marking could not read or trust, one entry each: the path (or repository@digest) and the error id.</summary>
        public List<string> Unread { get; } = new List<string>();
    }

    /// <summary>
    /// Mark and sweep over registry storage, the way <c>docker-registry garbage-collect</c> does it
    /// (registry/storage/garbagecollect.go), reading only manifest and index blobs. Marking follows index and
    /// manifest-list children down to their configs and layers, so in untagged mode the children of a tagged
    /// index are kept (registry 2.8.2 deletes them and breaks the index).
    /// </summary>
    /// <remarks>
    /// Marking fails safe. Every problem met while marking (a link that is not a digest, a FIFO or a symlink out of
    /// the storage where a link or data file should be, a manifest that is missing, corrupt or malformed, a
    /// repository folder with an invalid name, a blob folder that is not a digest) is reported and makes the
    /// report incomplete (<see cref="RegistryGarbageReport.Unread"/>), and Remove-RegistryGarbage then removes nothing
    /// without -Force. Even for -Force the candidates are conservative: a repository with such a problem lists no
    /// untagged manifests, dangling revision links or <c>_layers</c> links (all its revisions are kept and marked, as
    /// in plain mode), and a folder whose name is not a valid repository name is still marked, as a repository would be.
    /// </remarks>
    public static class RegistryGarbageCollector
    {
        private sealed class Repository
        {
            public Repository(bool valid) { Valid = valid; Damaged = !valid; }
            public RegistryRepositoryContents Contents { get; set; } = null!;
            /// <summary>A valid repository name: candidates may be listed inside it.</summary>
            public bool Valid { get; }
            /// <summary>Marking met a problem in it: it is treated conservatively.</summary>
            public bool Damaged { get; set; }
        }

        /// <summary>Reports each problem once (to the caller and in the report's Unread list).</summary>
        private sealed class Problems
        {
            private readonly HashSet<string> _seen = new HashSet<string>(StringComparer.Ordinal);
            private readonly RegistryGarbageReport _report;
            private readonly Action<ImageToolsException> _onError;

            public Problems(RegistryGarbageReport report, Action<ImageToolsException> onError) { _report = report; _onError = onError; }

            public void Add(ImageToolsException e, string? unread = null)
            {
                string entry = $"{unread ?? e.Target ?? e.Message} ({e.ErrorId})";
                if (!_seen.Add(entry)) return;
                _report.Unread.Add(entry);
                _onError(e);
            }

            public Action<ImageToolsException> In(Repository repo) => e => { repo.Damaged = true; Add(e); };
        }

        public static RegistryGarbageReport Find(RegistryStore store, RegistryGarbageOptions options, Action<ImageToolsException> onError)
        {
            var report = new RegistryGarbageReport();
            var problems = new Problems(report, onError);
            var marked = new HashSet<Digest>();
            var layout = store.Layout;
            var repositories = new List<Repository>();
            foreach (var (name, dir, valid) in store.RepositoryFolders(e => problems.Add(e)))
            {
                var repo = new Repository(valid);
                repo.Contents = RegistryRepositoryContents.Load(name, dir, problems.In(repo), layout.Room);
                repositories.Add(repo);
            }

            foreach (var r in repositories)
            {
                var repo = r.Contents;
                var tagged = repo.TaggedDigests();
                var all = new HashSet<Digest>(repo.Revisions.Select(x => x.Digest));
                all.UnionWith(tagged);
                HashSet<Digest> keep = all;
                if (options.IncludeUntagged && !r.Damaged)
                {
                    var reachable = store.ReachableManifests(tagged, e => { r.Damaged = true; problems.Add(InRepository(repo, e), $"{repo.Name}@{e.Target}"); });
                    if (!r.Damaged) keep = reachable;
                }
                foreach (var revision in repo.Revisions)
                {
                    bool hasData;
                    try { hasData = layout.Room.IsReadableFile(layout.BlobData(revision.Digest), $"Manifest blob {revision.Digest}: data file"); }
                    catch (ImageToolsException e) { r.Damaged = true; problems.Add(InRepository(repo, e), $"{repo.Name}@{revision.Digest}"); continue; }
                    if (!hasData && !tagged.Contains(revision.Digest))
                    {
                        keep.Remove(revision.Digest);
                        if (r.Valid && !r.Damaged)
                            report.Items.Add(new RegistryGarbage(RegistryGarbageKind.Manifest, repo.Name, revision.Digest, 0,
                                $"dangling link: blob {revision.Digest} does not exist", revision.Directory, store.Location));
                    }
                    else if (!keep.Contains(revision.Digest) && r.Valid)
                    {
                        report.Items.Add(new RegistryGarbage(RegistryGarbageKind.Manifest, repo.Name, revision.Digest, 0,
                            "untagged: no tag points at it, nor at an index that holds it", revision.Directory, store.Location));
                    }
                }
                foreach (var digest in keep) Mark(store, r, digest, marked, problems);
            }

            var blobs = new HashSet<Digest>();
            foreach (var blob in store.BlobDirectories(e => problems.Add(e)))
            {
                blobs.Add(blob.Digest);
                if (marked.Contains(blob.Digest)) continue;
                var data = new FileInfo(Path.Combine(blob.Directory, "data"));
                report.Items.Add(new RegistryGarbage(RegistryGarbageKind.Blob, null, blob.Digest, data.Exists ? data.Length : 0,
                    data.Exists ? "unreferenced" : "unreferenced (and its data file is missing)", blob.Directory, store.Location));
            }

            foreach (var r in repositories)
            {
                if (!r.Valid || r.Damaged) continue;
                foreach (var link in r.Contents.LayerLinks)
                {
                    string? reason = !blobs.Contains(link.Digest) ? $"dangling link: blob {link.Digest} does not exist"
                        : !marked.Contains(link.Digest) ? "dangling link once its unreferenced blob is removed" : null;
                    if (reason != null)
                        report.Items.Add(new RegistryGarbage(RegistryGarbageKind.LayerLink, r.Contents.Name, link.Digest, 0, reason, link.Directory, store.Location));
                }
            }

            foreach (var r in repositories)
            {
                if (!r.Valid) continue;
                foreach (var upload in r.Contents.Uploads)
                {
                    var started = UploadStarted(layout.Room, upload);
                    var age = options.Now - started;
                    if (age < options.UploadAge) continue;
                    long size = 0;
                    try { size = new DirectoryInfo(upload).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length); }
                    catch (IOException) { }
                    report.Items.Add(new RegistryGarbage(RegistryGarbageKind.Upload, r.Contents.Name, null, size,
                        $"stale upload: started {started.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)}, {FormatAge(age)} ago",
                        upload, store.Location) { Age = age });
                }
            }
            if (!report.MarkingComplete)
                foreach (var item in report.Items) item.Unread = report.Unread;
            return report;
        }

        private static ImageToolsException InRepository(RegistryRepositoryContents repo, ImageToolsException e) =>
            new ImageToolsException(e.ErrorId, $"Repository {repo.Name}: {e.Message}", e.Target, e.Location, e);

        private static void Mark(RegistryStore store, Repository repo, Digest root, HashSet<Digest> marked, Problems problems)
        {
            var stack = new Stack<(Digest Digest, bool IsManifest)>();
            stack.Push((root, true));
            while (stack.Count > 0)
            {
                var (digest, isManifest) = stack.Pop();
                if (!marked.Add(digest) || !isManifest) continue;
                RegistryManifest m;
                try { m = store.ReadManifest(digest); }
                catch (ImageToolsException e)
                {
                    // A kept manifest we cannot read: what it refers to cannot be marked.
                    repo.Damaged = true;
                    problems.Add(InRepository(repo.Contents, e), $"{repo.Contents.Name}@{digest}");
                    continue;
                }
                foreach (var c in m.Children) stack.Push((c.Digest, RegistryManifest.IsManifestLike(c)));
                foreach (var b in m.Blobs) stack.Push((b, false));
            }
        }

        /// <summary>The <c>startedat</c> time (RFC 3339) of an upload, or its folder's time when that file is missing or unreadable.</summary>
        public static DateTimeOffset UploadStarted(RegistryRoom room, string uploadDirectory)
        {
            string file = Path.Combine(uploadDirectory, "startedat");
            try
            {
                if (room.IsReadableFile(file, "Upload start time") && new FileInfo(file).Length < 100 &&
                    DateTimeOffset.TryParse(File.ReadAllText(file).Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t))
                    return t;
            }
            catch (IOException) { }
            catch (ImageToolsException) { }
            return new DateTimeOffset(Directory.GetLastWriteTimeUtc(uploadDirectory), TimeSpan.Zero);
        }

        private static string FormatAge(TimeSpan age) =>
            age.TotalDays >= 1 ? $"{(int)age.TotalDays}d {age.Hours}h" : age.TotalHours >= 1 ? $"{(int)age.TotalHours}h {age.Minutes}m" : $"{(int)Math.Max(0, age.TotalMinutes)}m";
    }
}
