using System;
using System.IO;
using System.Text.RegularExpressions;

namespace ImageTools.Export
{
    /// <summary>
    /// The one place that names temporary files and folders: beside their destination, renamed into place only when
    /// complete. A name carries its writer's identity (<see cref="WriterIdentity"/>),
    /// <c>.&lt;name&gt;.imagetools-&lt;pid&gt;-&lt;start time&gt;-&lt;pid namespace&gt;-&lt;random&gt;[.tmp]</c>,
    /// so that the next writer into the same folder can remove what a killed writer left (<see cref="RemoveStale"/>)
    /// and never what a running one is still writing.
    /// </summary>
    internal static class TempFiles
    {
        private static readonly Regex Name = new Regex(@"^\..*\.imagetools-(?<pid>[0-9]+)-(?<start>[0-9]+)-(?<ns>[0-9]+)-[0-9a-f]{8}(\.tmp)?$", RegexOptions.CultureInvariant);

        /// <summary>A temporary file beside <paramref name="destination"/>.</summary>
        public static string Beside(string destination) => FolderBeside(destination) + ".tmp";

        /// <summary>A temporary folder beside <paramref name="destination"/> (no .tmp suffix: renamed into place whole).</summary>
        public static string FolderBeside(string destination)
        {
            string full = Path.GetFullPath(destination).TrimEnd('/');
            string dir = Path.GetDirectoryName(full) ?? ".";
            return Path.Combine(dir, $".{Path.GetFileName(full)}.imagetools-{WriterIdentity.Current}-{Guid.NewGuid().ToString("N").Substring(0, 8)}");
        }

        /// <summary>A temporary file for work in progress (a layer being re-encoded) in <paramref name="directory"/>.</summary>
        public static string In(string directory, string purpose) => Beside(Path.Combine(directory, purpose));

        /// <summary>
        /// Removes the temporary files and folders in <paramref name="directory"/> (not below it) whose writer is gone:
        /// no process has its pid, or one does with another start time. Names without a writer identity, those of
        /// running writers (this process included) and those of writers in another pid namespace stay. Best effort:
        /// what cannot be removed stays.
        /// </summary>
        public static void RemoveStale(string directory)
        {
            if (!Directory.Exists(directory)) return;
            string[] entries;
            try { entries = Directory.GetFileSystemEntries(directory, ".*.imagetools-*"); }
            catch (IOException) { return; }
            catch (UnauthorizedAccessException) { return; }
            foreach (var path in entries)
            {
                var m = Name.Match(Path.GetFileName(path));
                if (!m.Success || !int.TryParse(m.Groups["pid"].Value, out int pid) || !long.TryParse(m.Groups["start"].Value, out long start)
                    || !long.TryParse(m.Groups["ns"].Value, out long ns)) continue;
                var writer = new WriterIdentity(pid, start, ns);
                if (writer.IsAlive) continue;
                DeleteAny(path);
            }
        }

        public static void MoveIntoPlace(string temp, string destination, bool overwrite)
        {
            if (File.Exists(destination))
            {
                if (!overwrite)
                    throw new ImageToolsException(ErrorId.DestinationExists, $"{destination} already exists; use -Force to replace it.", destination, destination);
                File.Replace(temp, destination, null);
            }
            else
            {
                File.Move(temp, destination);
            }
        }

        /// <summary>Writes a small file through a temporary one, so that a reader sees the old content or the new, never a part.</summary>
        public static void WriteReplacing(string path, byte[] content)
        {
            string temp = Beside(path);
            try
            {
                File.WriteAllBytes(temp, content);
                MoveIntoPlace(temp, path, overwrite: true);
            }
            finally { Delete(temp); }
        }

        public static void Delete(string path)
        {
            try { if (File.Exists(path)) File.Delete(path); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }

        /// <summary>Empties a folder this writer filled (it was empty before); best effort.</summary>
        public static void DeleteContents(string folder)
        {
            try { foreach (var p in Directory.GetFileSystemEntries(folder)) DeleteAny(p); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }

        /// <summary>Removes a file, a symlink (never its target) or a folder with everything in it; best effort.</summary>
        public static void DeleteAny(string path)
        {
            try
            {
                var a = File.GetAttributes(path);
                if ((a & FileAttributes.Directory) != 0 && (a & FileAttributes.ReparsePoint) == 0) Directory.Delete(path, true);
                else File.Delete(path);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }
}
