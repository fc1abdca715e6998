using System;
using System.IO;

namespace ImageTools.UnitTests
{
    /// <summary>A private temporary folder, removed with everything in it.</summary>
    internal sealed class TempFolder : IDisposable
    {
        public TempFolder() => Directory.CreateDirectory(Path);

        public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "it-unit-" + Guid.NewGuid().ToString("N"));

        /// <summary>Every file and folder under it, relative, sorted.</summary>
        public string[] Entries()
        {
            var all = Directory.GetFileSystemEntries(Path, "*", SearchOption.AllDirectories);
            for (int i = 0; i < all.Length; i++) all[i] = System.IO.Path.GetRelativePath(Path, all[i]);
            Array.Sort(all, StringComparer.Ordinal);
            return all;
        }

        public void Dispose()
        {
            if (Directory.Exists(Path)) Directory.Delete(Path, true);
        }
    }
}
