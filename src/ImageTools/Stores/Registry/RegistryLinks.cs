using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using ImageTools.Oci;

namespace ImageTools.Stores.Registry
{
    /// <summary>A link file found under a <c>&lt;alg&gt;/&lt;hex&gt;/link</c> folder, with the digest it holds.</summary>
    public sealed class RegistryLink
    {
        public RegistryLink(Digest digest, string directory)
        {
            Digest = digest;
            Directory = directory;
        }

        public Digest Digest { get; }

        /// <summary>The <c>&lt;alg&gt;/&lt;hex&gt;</c> folder holding the link.</summary>
        public string Directory { get; }
    }

    /// <summary>Reads the registry's <c>link</c> files: one digest, <c>sha256:&lt;hex&gt;</c>, no newline.</summary>
    public static class RegistryLinks
    {
        /// <summary>The longest a link can be: <c>sha512:</c> and 128 hex characters, with room for other algorithms.</summary>
        public const int MaxLinkLength = 256;

        /// <summary>
        /// The digest a link file holds; an <see cref="ImageToolsException"/> naming the file otherwise: InvalidLink,
        /// FileNotFound, NotARegularFile (a FIFO, device or folder: never opened), PathOutsideStore (a symlink out of the room).
        /// </summary>
        public static Digest Read(RegistryRoom room, string linkPath)
        {
            if (!room.IsReadableFile(linkPath, "Link"))
                throw new ImageToolsException(ErrorId.FileNotFound, $"Link file {linkPath} does not exist.", linkPath, linkPath);
            return ReadChecked(linkPath);
        }

        /// <summary>Reads a link file already checked to be a regular file inside the room.</summary>
        private static Digest ReadChecked(string linkPath)
        {
            var info = new FileInfo(linkPath);
            if (info.Length == 0) throw Invalid(linkPath, "it is empty");
            if (info.Length > MaxLinkLength) throw Invalid(linkPath, $"it is {info.Length} bytes long; a link holds one digest (at most {MaxLinkLength} bytes)");
            string text = Encoding.UTF8.GetString(File.ReadAllBytes(linkPath));
            if (!Digest.TryParse(text, out var digest, out var reason))
                throw Invalid(linkPath, $"'{Printable(text)}' is not a digest: {reason}");
            return digest!;
        }

        /// <summary>
        /// The links under <c>&lt;parent&gt;/&lt;alg&gt;/&lt;hex&gt;/link</c>, sorted by digest. A folder whose name is not a
        /// digest, a link that is not a digest or names another digest than its folder are reported and skipped.
        /// Folders without a link file (what a deleted manifest leaves) are skipped.
        /// </summary>
        public static List<RegistryLink> ReadAll(RegistryRoom room, string parent, System.Action<ImageToolsException> onError)
        {
            var links = new List<RegistryLink>();
            if (!room.IsFolder(parent, onError)) return links;
            foreach (var algDir in room.Folders(parent, onError))
            {
                string alg = Path.GetFileName(algDir);
                foreach (var dir in room.Folders(algDir, onError))
                {
                    string name = Path.GetFileName(dir);
                    if (!Digest.TryParse(alg + ":" + name, out var expected, out var reason))
                    {
                        onError(Invalid(dir, $"the folder name '{Printable(alg + "/" + name)}' is not a digest: {reason}"));
                        continue;
                    }
                    string link = Path.Combine(dir, "link");
                    try
                    {
                        if (!room.IsReadableFile(link, "Link")) continue;
                        var digest = ReadChecked(link);
                        if (digest != expected)
                        {
                            onError(Invalid(link, $"it holds {digest} but its folder is {expected}"));
                            continue;
                        }
                        links.Add(new RegistryLink(digest, dir));
                    }
                    catch (ImageToolsException e) { onError(e); }
                    catch (IOException e) { onError(new ImageToolsException(ErrorId.StoreUnreadable, $"Cannot read link file {link}: {e.Message}", link, link, e)); }
                }
            }
            return links;
        }

        internal static ImageToolsException Invalid(string path, string why) =>
            new ImageToolsException(ErrorId.InvalidLink, $"Link {path} is not valid: {why}.", path, path);

        internal static string Printable(string s)
        {
            var sb = new StringBuilder();
            foreach (char c in s.Length > 100 ? s.Substring(0, 100) + "..." : s)
                sb.Append(char.IsControl(c) ? $"\\x{(int)c:x2}" : c.ToString());
            return sb.ToString();
        }
    }
}
