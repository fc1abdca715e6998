using System;
using System.Collections.Generic;
using ImageTools.Content;
using ImageTools.Oci;

namespace ImageTools
{
    /// <summary>One entry of a layer tar, as Get-ImageLayerEntry returns it.</summary>
    public sealed class LayerEntry
    {
        internal LayerEntry(TarEntry e, int layerIndex, Digest layerDigest, string? imageName)
        {
            string? clean = EntryPath.Clean(e.Name, out var reason);
            Path = clean == null ? e.Name : "/" + clean;
            UnsafeReason = reason;
            TypeValue = e.Type;
            Size = e.Size;
            ModeValue = (int)(e.Mode & FileModes.PermissionMask);
            Uid = e.Uid;
            Gid = e.Gid;
            UserName = e.UserName;
            GroupName = e.GroupName;
            ModifiedAtValue = e.ModifiedAt;
            LinkTarget = e.Type == TarEntryType.Symlink || e.Type == TarEntryType.Hardlink ? e.LinkName : null;
            XattrValues = e.Xattrs;
            DevMajor = e.DevMajor;
            DevMinor = e.DevMinor;
            IsOpaque = clean != null && Whiteout.IsOpaque(clean);
            string? hidden = clean == null ? null : Whiteout.HiddenPath(clean);
            IsWhiteout = hidden != null || IsOpaque;
            if (hidden != null) WhiteoutOf = "/" + hidden;
            else if (IsOpaque) WhiteoutOf = "/" + Whiteout.DirName(clean!);
            LayerIndex = layerIndex;
            LayerDigestValue = layerDigest;
            ImageName = imageName;
            HeaderOffset = e.HeaderOffset;
        }

        /// <summary>The path inside the image, from its root (<c>/etc/hostname</c>); the raw name when it is unsafe.</summary>
        public string Path { get; }

        public string Type => TypeValue.ToString();
        internal TarEntryType TypeValue { get; }

        /// <summary>Bytes of content (0 for everything but regular files).</summary>
        public long Size { get; }

        /// <summary>As <c>ls -l</c> prints it: <c>-rwxr-xr-x</c>.</summary>
        public string Mode => FileModes.ToSymbolic(TypeValue, ModeValue);

        /// <summary>The numeric permission bits (with setuid, setgid, sticky).</summary>
        public int ModeValue { get; }

        /// <summary>The permission bits in octal, <c>0755</c>.</summary>
        public string OctalMode => FileModes.ToOctal(ModeValue);

        public long Uid { get; }
        public long Gid { get; }
        public string UserName { get; }
        public string GroupName { get; }
        public string ModifiedAt => ModifiedAtValue.ToOutput();
        internal DateTimeOffset ModifiedAtValue { get; }

        /// <summary>A symlink's target as stored, or the path a hard link links to (relative to the image root).</summary>
        public string? LinkTarget { get; }

        /// <summary>Extended attributes from PAX SCHILY.xattr records.</summary>
        public LabelSet Xattrs => new LabelSet(XattrValues);
        internal IReadOnlyDictionary<string, string> XattrValues { get; }

        public long DevMajor { get; }
        public long DevMinor { get; }

        /// <summary>A whiteout (<c>.wh.NAME</c>) or an opaque marker (<c>.wh..wh..opq</c>).</summary>
        public bool IsWhiteout { get; }

        /// <summary>An opaque marker: hides what lower layers put in its folder.</summary>
        public bool IsOpaque { get; }

        /// <summary>What a whiteout hides: the path for <c>.wh.NAME</c>, the folder for an opaque marker.</summary>
        public string? WhiteoutOf { get; }

        /// <summary>Why the path is unsafe to unpack (absolute, '..'), or null.</summary>
        public string? UnsafeReason { get; }

        /// <summary>Position of the layer from the bottom of the image, starting at 0.</summary>
        public int LayerIndex { get; }

        public string LayerDigest => LayerDigestValue.ToOutput();
        internal Digest LayerDigestValue { get; }
        public string? ImageName { get; }

        /// <summary>Offset of the entry's first header in the uncompressed layer tar.</summary>
        public long HeaderOffset { get; }

        public override string ToString() => Path;
    }
}
