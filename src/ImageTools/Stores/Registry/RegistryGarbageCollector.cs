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

    /// <summary>The candidates of a search, and whether marking saw every manifest it needed.</summary>
    public sealed class RegistryGarbageReport
    {
        public List<RegistryGarbage> Items { get; } = new List<RegistryGarbage>();

        /// <summary>False when a kept manifest could not be read: blobs only it refers to would wrongly look unreferenced.</summary>
        public bool MarkingComplete { get; internal set; } = true;

        public List<string> UnreadManifests { get; } = new List<string>();
    }

    /// <summary>
    /// Mark and sweep over registry storage, the way <c>docker-registry garbage-collect</c> does it
    /// (registry/storage/garbagecollect.go), reading only manifest and index blobs. Marking follows index and
    /// manifest-list children down to their configs and layers, so in untagged mode the children of a tagged
    /// index are kept (registry 2.8.2 deletes them and breaks the index).
    /// </summary>
    public static class RegistryGarbageCollector
    {
        public static RegistryGarbageReport Find(RegistryStore store, RegistryGarbageOptions options, Action<ImageToolsException> onError)
        {
            var report = new RegistryGarbageReport();
            var marked = new HashSet<Digest>();
            var layout = store.Layout;
            var repositories = new List<RegistryRepositoryContents>();
            foreach (var (name, dir) in store.RepositoryDirectories(onError))
                repositories.Add(RegistryRepositoryContents.Load(name, dir, onError));

            foreach (var repo in repositories)
            {
                var tagged = repo.TaggedDigests();
                HashSet<Digest> keep;
                if (options.IncludeUntagged)
                {
                    keep = store.ReachableManifests(tagged, _ => { });
                }
                else
                {
                    keep = new HashSet<Digest>(repo.Revisions.Select(r => r.Digest));
                    keep.UnionWith(tagged);
                }
                foreach (var revision in repo.Revisions)
                {
                    bool hasData = File.Exists(layout.BlobData(revision.Digest));
                    if (!hasData && !tagged.Contains(revision.Digest))
                    {
                        report.Items.Add(new RegistryGarbage(RegistryGarbageKind.Manifest, repo.Name, revision.Digest, 0,
                            $"dangling link: blob {revision.Digest} does not exist", revision.Directory, store.Location));
                        keep.Remove(revision.Digest);
                    }
                    else if (!keep.Contains(revision.Digest))
                    {
                        report.Items.Add(new RegistryGarbage(RegistryGarbageKind.Manifest, repo.Name, revision.Digest, 0,
                            "untagged: no tag points at it, nor at an index that holds it", revision.Directory, store.Location));
                    }
                }
                foreach (var digest in keep) Mark(store, repo, digest, marked, report, onError);
            }

            var blobs = new HashSet<Digest>();
            foreach (var blob in store.BlobDirectories(onError))
            {
                blobs.Add(blob.Digest);
                if (marked.Contains(blob.Digest)) continue;
                var data = new FileInfo(Path.Combine(blob.Directory, "data"));
                report.Items.Add(new RegistryGarbage(RegistryGarbageKind.Blob, null, blob.Digest, data.Exists ? data.Length : 0,
                    data.Exists ? "unreferenced" : "unreferenced (and its data file is missing)", blob.Directory, store.Location));
            }

            foreach (var repo in repositories)
                foreach (var link in repo.LayerLinks)
                {
                    string? reason = !blobs.Contains(link.Digest) ? $"dangling link: blob {link.Digest} does not exist"
                        : !marked.Contains(link.Digest) ? "dangling link once its unreferenced blob is removed" : null;
                    if (reason != null)
                        report.Items.Add(new RegistryGarbage(RegistryGarbageKind.LayerLink, repo.Name, link.Digest, 0, reason, link.Directory, store.Location));
                }

            foreach (var repo in repositories)
                foreach (var upload in repo.Uploads)
                {
                    var started = UploadStarted(upload);
                    var age = options.Now - started;
                    if (age < options.UploadAge) continue;
                    long size = 0;
                    try { size = new DirectoryInfo(upload).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length); }
                    catch (IOException) { }
                    report.Items.Add(new RegistryGarbage(RegistryGarbageKind.Upload, repo.Name, null, size,
                        $"stale upload: started {started.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)}, {FormatAge(age)} ago",
                        upload, store.Location) { Age = age });
                }
            if (!report.MarkingComplete)
                foreach (var item in report.Items) item.MarkingComplete = false;
            return report;
        }

        private static void Mark(RegistryStore store, RegistryRepositoryContents repo, Digest root, HashSet<Digest> marked,
            RegistryGarbageReport report, Action<ImageToolsException> onError)
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
                    if (e.ErrorId != ErrorId.BlobNotFound)
                    {
                        report.MarkingComplete = false;
                        report.UnreadManifests.Add($"{repo.Name}@{digest}");
                    }
                    onError(new ImageToolsException(e.ErrorId, $"Repository {repo.Name}: {e.Message}", e.Target, e.Location, e));
                    continue;
                }
                foreach (var c in m.Children) stack.Push((c.Digest, RegistryManifest.IsManifestLike(c)));
                foreach (var b in m.Blobs) stack.Push((b, false));
            }
        }

        /// <summary>The <c>startedat</c> time (RFC 3339) of an upload, or its folder's time when that file is missing or unreadable.</summary>
        public static DateTimeOffset UploadStarted(string uploadDirectory)
        {
            string file = Path.Combine(uploadDirectory, "startedat");
            try
            {
                if (File.Exists(file) && new FileInfo(file).Length < 100 &&
                    DateTimeOffset.TryParse(File.ReadAllText(file).Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t))
                    return t;
            }
            catch (IOException) { }
            return new DateTimeOffset(Directory.GetLastWriteTimeUtc(uploadDirectory), TimeSpan.Zero);
        }

        private static string FormatAge(TimeSpan age) =>
            age.TotalDays >= 1 ? $"{(int)age.TotalDays}d {age.Hours}h" : age.TotalHours >= 1 ? $"{(int)age.TotalHours}h {age.Minutes}m" : $"{(int)Math.Max(0, age.TotalMinutes)}m";
    }
}
