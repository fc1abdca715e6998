using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace ImageTools.Stores.Docker
{
    /// <summary>
    /// What the data root's folders hold, listed once with their d_type, and their small files read on another
    /// thread (<see cref="ReadAhead{TResult}"/>) while the entries are checked here in the same order.
    /// </summary>
    internal sealed partial class DockerRoot
    {
        /// <summary>
        /// The folders of <paramref name="dir"/> (symlinks to folders too) in listing order; <paramref name="plainInside"/>:
        /// the folder itself is inside the root, so a plain folder listed in it is inside without an lstat.
        /// </summary>
        private List<FolderEntry> SubFolders(string dir, out bool plainInside)
        {
            var list = FolderEntries.Read(dir);
            plainInside = false;
            if (list == null) return Directory.EnumerateDirectories(dir).Select(d => new FolderEntry(Path.GetFileName(d), FolderEntry.UnknownType)).ToList();
            var first = list.FirstOrDefault(e => e.IsPlainDirectory);
            plainInside = first.Name != null && Boundary.IsInside(Path.Combine(dir, first.Name));
            return list.Where(e => e.IsPlainDirectory
                || ((e.Type == FolderEntry.UnknownType || e.Type == FolderEntry.SymlinkType) && Directory.Exists(Path.Combine(dir, e.Name)))).ToList();
        }

        /// <summary>Small files read ahead for the entry being loaded (<see cref="_preReadFolder"/>), by name; null: read in line.</summary>
        private PreReadFiles? _preRead;
        private string? _preReadFolder;

        private void UsePreRead(string folder, PreReadFiles? files)
        {
            _preRead = files != null && files.Count > 0 ? files : null;
            _preReadFolder = folder;
        }

        /// <summary>What was read ahead of <paramref name="file"/>; null when it was not.</summary>
        private PreRead? PreReadOf(EntryFile file) =>
            _preRead != null && string.Equals(file.Folder, _preReadFolder, StringComparison.Ordinal) ? _preRead.Find(file.Name) : null;

        /// <summary>
        /// The small files of one entry folder read ahead, by name: a handful, found by comparing names (a dictionary
        /// per entry cost more than the search, for thousands of entries).
        /// </summary>
        private sealed class PreReadFiles
        {
            public static readonly PreReadFiles None = new PreReadFiles(Array.Empty<string>(), Array.Empty<PreRead>());

            private readonly string[] _names;
            private readonly PreRead[] _reads;

            private PreReadFiles(string[] names, PreRead[] reads) { _names = names; _reads = reads; }

            public int Count => _names.Length;

            /// <summary>The files <paramref name="names"/> of <paramref name="parent"/>/<paramref name="entry"/> (no path string is made).</summary>
            /// <param name="handle"><paramref name="parent"/> held open (the files are opened relative to it), or null.</param>
            /// <param name="parent">The folder holding the entries.</param>
            /// <param name="entry">The entry whose files are read.</param>
            /// <param name="names">The file names, in the order their contents are kept.</param>
            public static PreReadFiles Read(FolderHandle? handle, string parent, string entry, string[] names)
            {
                var reads = new PreRead[names.Length];
                for (int i = 0; i < names.Length; i++) reads[i] = PreRead.Of(handle, parent, entry, names[i]);
                return new PreReadFiles(names, reads);
            }

            public PreRead? Find(string name)
            {
                for (int i = 0; i < _names.Length; i++)
                    if (string.Equals(_names[i], name, StringComparison.Ordinal)) return _reads[i];
                return null;
            }
        }

        /// <summary>
        /// Whether a file exists, answered from what was read ahead when it was read without failing (a missing file
        /// reads as null); else as <see cref="File.Exists"/> answers (a symlink followed).
        /// </summary>
        private bool ExistsAsRead(EntryFile file) => PreReadOf(file) is { Succeeded: true } read ? read.Text() != null : File.Exists(file.Path);

        /// <summary>A small file of an entry folder: its path is made only where it is read in line or reported.</summary>
        private readonly struct EntryFile
        {
            public EntryFile(string folder, string name) { Folder = folder; Name = name; }

            public string Folder { get; }
            public string Name { get; }
            public string Path => System.IO.Path.Combine(Folder, Name);

            public override string ToString() => Path;
        }

        /// <summary>One small file read on another thread: its text (null: missing) or what reading it threw, thrown again where it is taken.</summary>
        private sealed class PreRead
        {
            private readonly string? _text;
            private readonly System.Runtime.ExceptionServices.ExceptionDispatchInfo? _failure;

            private PreRead(string? text, System.Runtime.ExceptionServices.ExceptionDispatchInfo? failure) { _text = text; _failure = failure; }

            public static PreRead Of(FolderHandle? handle, string parent, string entry, string name)
            {
                try { return new PreRead(UnixFile.ReadSmallText(handle, parent, entry, name, 4096), null); }
                catch (Exception e) { return new PreRead(null, System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e)); }
            }

            public bool Succeeded => _failure == null;

            public string? Text()
            {
                _failure?.Throw();
                return _text;
            }
        }
    }
}
