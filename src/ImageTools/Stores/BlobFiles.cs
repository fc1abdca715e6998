using System.Collections.Generic;
using System.IO;
using ImageTools.Content;
using ImageTools.Oci;

namespace ImageTools.Stores
{
    /// <summary>Blobs kept one file each under <c>&lt;blobs&gt;/&lt;alg&gt;/&lt;encoded&gt;</c> (OCI layouts, containerd's content store).</summary>
    internal static class BlobFiles
    {
        /// <summary>
        /// Opens the file of a blob; BlobNotFound naming the store when it is not there, PathOutsideStore when it is a
        /// symlink (or under one) leading out of the store's room (a store that checked the path itself passes no room).
        /// </summary>
        public static Stream Open(IImageStore store, Digest digest, string path, StoreBoundary? room = null)
        {
            if (!ContentFiles.Exists(path)) throw StoreErrors.BlobNotFound(store, digest);
            return room != null ? room.OpenFile(path, $"blob {digest}") : ContentFiles.OpenRead(path);
        }

        /// <summary>The digests of the files under <c>&lt;blobs&gt;/&lt;alg&gt;/</c>; files not named by a digest are left out.</summary>
        public static IEnumerable<Digest> Enumerate(string blobs)
        {
            if (!Directory.Exists(blobs)) yield break;
            foreach (var algDir in Directory.EnumerateDirectories(blobs))
            {
                string alg = Path.GetFileName(algDir);
                foreach (var file in Directory.EnumerateFiles(algDir))
                    if (Digest.TryParse(alg + ":" + Path.GetFileName(file), out var d)) yield return d!;
            }
        }
    }
}
