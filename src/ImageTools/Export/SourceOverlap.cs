using System;
using System.Collections.Generic;
using System.IO;
using ImageTools.Content;

namespace ImageTools.Export
{
    /// <summary>
    /// Refuses a destination that is, or is inside, a store being read (or holds one), before anything is written:
    /// writing there would change what is being read (Copy-Image from a layout into itself rewrites its index.json).
    /// Paths are compared as the kernel resolves them, symlinks included; a destination that does not exist yet is
    /// resolved through its nearest existing folder.
    /// </summary>
    internal static class SourceOverlap
    {
        public static void Refuse(string destination, IEnumerable<string> sources)
        {
            string dest = RealPaths.ResolveNearest(destination);
            foreach (var source in sources)
            {
                if (source.Contains("://")) continue; // a remote store
                string src = RealPaths.ResolveNearest(source);
                if (Contains(src, dest))
                    throw new ImageToolsException(ErrorId.DestinationInsideSource,
                        $"The destination {destination} is {(dest == src ? "" : "inside ")}the store being read ({source}); nothing was written. Choose a destination outside it.", destination, source);
                if (Contains(dest, src))
                    throw new ImageToolsException(ErrorId.DestinationInsideSource,
                        $"The destination {destination} holds the store being read ({source}); nothing was written. Choose a destination outside it.", destination, source);
            }
        }

        private static bool Contains(string folder, string path) => RealPaths.IsWithin(folder, path);
    }
}
