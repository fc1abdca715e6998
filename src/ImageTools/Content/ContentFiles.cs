using System.IO;

namespace ImageTools.Content
{
    internal static class ContentFiles
    {
        /// <summary>
        /// Opens a file for reading with a 64 KiB buffer, letting others write, rename or delete it meanwhile:
        /// stores are read while the tools that own them keep working.
        /// </summary>
        public static FileStream OpenRead(string path) =>
            new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16);
    }
}
