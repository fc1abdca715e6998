using System;
using System.Collections.Generic;
using System.IO;
using ImageTools.Oci;

namespace ImageTools.Stores.Discovery
{
    /// <summary>How much a store holds: images, names, blobs, the bytes its folder takes and the space left beside it.</summary>
    internal sealed class StoreCensus
    {
        /// <summary>Distinct images (root digests), named or not.</summary>
        public int Images { get; private set; }

        /// <summary>Names of the names table (one image may have several).</summary>
        public int Names { get; private set; }

        /// <summary>Distinct blobs the store holds, referenced or not.</summary>
        public int Blobs { get; private set; }

        /// <summary>Bytes allocated on disk to the folder and everything in it, hard links once (du -sB1).</summary>
        public long Size { get; private set; }

        /// <summary>Bytes free to an unprivileged user on the filesystem holding the folder (df's Avail); null when unknown.</summary>
        public long? FreeSpace { get; private set; }

        public static StoreCensus Take(IImageStore store, string folder)
        {
            var c = new StoreCensus();
            var roots = new HashSet<Digest>();
            foreach (var image in store.Images)
            {
                roots.Add(image.Root.Digest);
                if (image.Name != null) c.Names++;
            }
            c.Images = roots.Count;
            var blobs = new HashSet<Digest>();
            foreach (var d in store.EnumerateBlobs()) blobs.Add(d);
            c.Blobs = blobs.Count;
            Docker.DiskUsage.Measure(folder, out _, out long disk);
            c.Size = disk;
            try { c.FreeSpace = new DriveInfo(folder).AvailableFreeSpace; }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is ArgumentException) { c.FreeSpace = null; }
            return c;
        }
    }
}
