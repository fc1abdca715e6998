using System.Collections.Generic;
using System.IO;
using ImageTools.Oci;

namespace ImageTools.Stores.Registry
{
    /// <summary>
    /// Reads a repository folder the quick way (<see cref="NoSymlinkFiles"/>) when it holds nothing unusual: the
    /// same contents <see cref="RegistryRepositoryContents.Load"/> gives for it, with no problem to report. Null as
    /// soon as anything is unusual (a symlink, a damaged or missing link, a stray file, a bad tag name...): the
    /// caller then loads the repository the checked way, which reports what is wrong.
    /// </summary>
    internal static class QuickRepositoryReader
    {
        [System.ThreadStatic] private static byte[]? _link;

        public static RegistryRepositoryContents? TryLoad(string name, string directory, RegistryRoom room)
        {
            var files = NoSymlinkFiles.OfThisThread;
            string? real = files == null ? null : room.RealPathIfNoSymlinks(directory);
            if (files == null || real == null) return null;
            int repoFd = -1, manifestsFd = -1;
            try
            {
                repoFd = files.OpenFolderAt(real);
                if (repoFd < 0) return null;
                var repo = new RegistryRepositoryContents(name, directory);
                manifestsFd = files.OpenFolder(repoFd, "_manifests");
                if (manifestsFd >= 0)
                {
                    repo.Revisions.AddRange(Links(files, manifestsFd, "revisions", repo.RevisionsDirectory));
                    ReadTags(files, manifestsFd, repo);
                }
                repo.LayerLinks.AddRange(Links(files, repoFd, "_layers", repo.LayersDirectory));
                int uploadsFd = files.OpenFolder(repoFd, "_uploads");
                if (uploadsFd >= 0)
                {
                    try { foreach (var upload in files.FolderNames(uploadsFd)) repo.Uploads.Add(Path.Combine(repo.UploadsDirectory, upload)); }
                    finally { LibC.close(uploadsFd); }
                }
                return repo;
            }
            catch (NoSymlinkFiles.Unusual) { return null; }
            finally
            {
                if (manifestsFd >= 0) LibC.close(manifestsFd);
                if (repoFd >= 0) LibC.close(repoFd);
            }
        }

        private static void ReadTags(NoSymlinkFiles files, int manifestsFd, RegistryRepositoryContents repo)
        {
            int tagsFd = files.OpenFolder(manifestsFd, "tags");
            if (tagsFd < 0) return;
            try
            {
                foreach (var tag in files.FolderNames(tagsFd))
                {
                    if (RegistryLayout.CheckTag(tag) != null) throw new NoSymlinkFiles.Unusual();
                    int tagFd = files.OpenFolder(tagsFd, tag);
                    if (tagFd < 0) throw new NoSymlinkFiles.Unusual();
                    try
                    {
                        var current = ReadDigest(files, tagFd, "current/link") ?? throw new NoSymlinkFiles.Unusual();
                        string tagDir = Path.Combine(repo.TagsDirectory, tag);
                        repo.Tags.Add(new RegistryTagContents(tag, tagDir, current, Links(files, tagFd, "index", Path.Combine(tagDir, "index"))));
                    }
                    finally { LibC.close(tagFd); }
                }
            }
            finally { LibC.close(tagsFd); }
        }

        /// <summary>As <see cref="RegistryLinks.ReadAll"/> for a folder whose every link is valid and names its own folder.</summary>
        private static List<RegistryLink> Links(NoSymlinkFiles files, int parentFd, string folder, string path)
        {
            var links = new List<RegistryLink>();
            int fd = files.OpenFolder(parentFd, folder);
            if (fd < 0) return links;
            try
            {
                foreach (var alg in files.FolderNames(fd))
                {
                    int algFd = files.OpenFolder(fd, alg);
                    if (algFd < 0) throw new NoSymlinkFiles.Unusual();
                    try
                    {
                        string algPath = Path.Combine(path, alg);
                        foreach (var hex in files.FolderNames(algFd))
                        {
                            string text = alg + ":" + hex;
                            if (!Digest.TryParse(text, out var expected)) throw new NoSymlinkFiles.Unusual();
                            int n = Read(files, algFd, hex + "/link");
                            if (n < 0) continue; // a folder without a link: what a deleted manifest leaves
                            if (!Holds(n, text)) throw new NoSymlinkFiles.Unusual();
                            links.Add(new RegistryLink(expected!, Path.Combine(algPath, hex)));
                        }
                    }
                    finally { LibC.close(algFd); }
                }
            }
            finally { LibC.close(fd); }
            return links;
        }

        /// <summary>The digest in a link file, null when there is none; Unusual when it is not exactly a digest.</summary>
        private static Digest? ReadDigest(NoSymlinkFiles files, int dirfd, string relative)
        {
            int n = Read(files, dirfd, relative);
            if (n < 0) return null;
            var link = _link!;
            for (int i = 0; i < n; i++)
                if (link[i] < 0x21 || link[i] > 0x7e) throw new NoSymlinkFiles.Unusual();
            return Digest.TryParse(System.Text.Encoding.ASCII.GetString(link, 0, n), out var digest) ? digest : throw new NoSymlinkFiles.Unusual();
        }

        private static int Read(NoSymlinkFiles files, int dirfd, string relative)
        {
            var link = _link ??= new byte[RegistryLinks.MaxLinkLength + 1];
            return files.ReadFile(dirfd, files.Name(relative), RegistryLinks.MaxLinkLength, ref link);
        }

        /// <summary>True when the link just read is exactly <paramref name="text"/> (its folder's digest).</summary>
        private static bool Holds(int n, string text)
        {
            var link = _link!;
            if (n != text.Length) return false;
            for (int i = 0; i < n; i++)
                if (link[i] != text[i]) return false;
            return true;
        }
    }
}
