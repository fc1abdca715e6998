using System;
using System.Collections.Generic;
using System.IO;
using ImageTools.Content;

namespace ImageTools.Stores.Docker
{
    /// <summary>
    /// Opens the files a tar-split stream names from a layer's <c>diff/</c> folder, refusing anything reached
    /// through a symlink (a layer's own symlinks must never lead the reader outside the layer) and anything that
    /// is not a regular file.
    /// </summary>
    internal sealed class DiffDirectorySource : ITarSplitFileSource
    {
        private readonly string _diff;
        private readonly HashSet<string> _checkedDirs = new HashSet<string>(StringComparer.Ordinal);

        public DiffDirectorySource(string diffPath) { _diff = diffPath; }

        public string Describe(string cleanName) => cleanName.Length == 0 ? _diff : _diff + "/" + cleanName;

        public Stream Open(string cleanName)
        {
            string path = Describe(cleanName);
            int slash = cleanName.LastIndexOf('/');
            if (slash > 0) CheckDirs(cleanName.Substring(0, slash));
            var st = UnixFile.LStat(path);
            if (st == null)
                throw new ImageToolsException(ErrorId.TarSplitMismatch,
                    $"File '{cleanName}' of the layer is missing from {_diff}: it was deleted after the layer was made, so the layer cannot be reassembled to its DiffID.", path, path);
            if (!st.Value.IsRegular)
                throw new ImageToolsException(ErrorId.TarSplitMismatch,
                    $"'{cleanName}' in {_diff} is not a regular file (mode {Convert.ToString(st.Value.Mode, 8)}), but the layer recorded file content for it.", path, path);
            // the replay reads into the caller's 1 MiB buffers, then probes for one byte more: no buffer of its own
            return ContentFiles.OpenRead(path, bufferSize: 1);
        }

        private void CheckDirs(string dir)
        {
            if (_checkedDirs.Contains(dir)) return;
            int slash = dir.LastIndexOf('/');
            if (slash > 0) CheckDirs(dir.Substring(0, slash));
            var st = UnixFile.LStat(_diff + "/" + dir);
            if (st != null && !st.Value.IsDirectory)
                throw new ImageToolsException(ErrorId.UnsafeEntryPath,
                    $"'{dir}' in {_diff} is not a folder (a symlink or a file), so files below it are not read.", _diff + "/" + dir, _diff);
            _checkedDirs.Add(dir);
        }
    }
}
