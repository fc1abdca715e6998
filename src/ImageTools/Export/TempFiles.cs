using System;
using System.IO;

namespace ImageTools.Export
{
    /// <summary>Temporary files beside their destination, renamed into place only when complete.</summary>
    internal static class TempFiles
    {
        public static string Beside(string destination)
        {
            string dir = Path.GetDirectoryName(Path.GetFullPath(destination)) ?? ".";
            return Path.Combine(dir, "." + Path.GetFileName(destination) + ".imagetools-" + Guid.NewGuid().ToString("N").Substring(0, 12) + ".tmp");
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

        public static void Delete(string path)
        {
            try { if (File.Exists(path)) File.Delete(path); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }
}
