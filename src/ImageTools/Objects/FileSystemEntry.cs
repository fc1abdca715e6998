using System;
using System.Collections.Generic;
using ImageTools.Content;
using ImageTools.Oci;

namespace ImageTools
{
    /// <summary>One path of an image's merged filesystem (every layer applied), as Get-ImageFileSystem returns it.</summary>
    public sealed class FileSystemEntry
    {
        internal FileSystemEntry(string path, TarEntry e, TarEntryType type, int layerIndex, Digest layerDigest)
        {
            Path = path;
            TypeValue = type;
            ModeValue = (int)(e.Mode & FileModes.PermissionMask);
            Uid = e.Uid;
            Gid = e.Gid;
            UserName = e.UserName;
            GroupName = e.GroupName;
            ModifiedAtValue = e.ModifiedAt;
            XattrValues = e.Xattrs;
            DevMajor = e.DevMajor;
            DevMinor = e.DevMinor;
            LayerIndex = layerIndex;
            LayerDigestValue = layerDigest;
        }

        /// <summary>A folder no layer has an entry for, made because a deeper entry needs it (as tar does).</summary>
        internal FileSystemEntry(string path, int layerIndex, Digest layerDigest)
        {
            Path = path;
            TypeValue = TarEntryType.Directory;
            ModeValue = Convert.ToInt32("755", 8);
            XattrValues = PaxRecords.EmptyXattrs;
            LayerIndex = layerIndex;
            LayerDigestValue = layerDigest;
            Implicit = true;
        }

        /// <summary>The path from the image root, <c>/etc/hostname</c>.</summary>
        public string Path { get; }

        /// <summary>File, Directory, Symlink, CharDevice, BlockDevice, Fifo; Hardlink when another path of the final filesystem shares the content (see LinkTarget).</summary>
        public string Type => TypeValue.ToString();
        internal TarEntryType TypeValue { get; set; }

        /// <summary>Bytes of content (of the shared content, for a hard link).</summary>
        public long Size { get; internal set; }

        public string Mode => FileModes.ToSymbolic(TypeValue, ModeValue);
        public int ModeValue { get; }
        public string OctalMode => FileModes.ToOctal(ModeValue);
        public long Uid { get; }
        public long Gid { get; }
        public string UserName { get; } = "";
        public string GroupName { get; } = "";
        public string ModifiedAt => ModifiedAtValue.ToOutput();
        internal DateTimeOffset ModifiedAtValue { get; }

        /// <summary>A symlink's target as stored; for a hard link, the path (from the root) of the other name of the content.</summary>
        public string? LinkTarget { get; internal set; }

        public LabelSet Xattrs => new LabelSet(XattrValues);
        internal IReadOnlyDictionary<string, string> XattrValues { get; }
        public long DevMajor { get; }
        public long DevMinor { get; }

        /// <summary>sha256 of a file's content; filled when asked for (-ContentDigest, Compare-Image).</summary>
        public string? ContentDigest => ContentDigestValue.ToOutputOrNull();
        internal Digest? ContentDigestValue { get; set; }

        /// <summary>The layer this path's final version came from (0 = bottom).</summary>
        public int LayerIndex { get; }

        /// <summary>The image and platform whose filesystem this is: rows of a multi-platform image differ by it.</summary>
        public string? ImageName { get; internal set; }

        public string? Platform { get; internal set; }

        public string LayerDigest => LayerDigestValue.ToOutput();
        internal Digest LayerDigestValue { get; }

        /// <summary>Made for a deeper entry; no layer has an entry for this folder itself.</summary>
        public bool Implicit { get; }

        public override string ToString() => Path;
    }
}
