using System;
using System.Collections.Generic;

namespace ImageTools.Content
{
    public enum TarEntryType
    {
        File,
        Directory,
        Symlink,
        Hardlink,
        CharDevice,
        BlockDevice,
        Fifo,
        Other,
    }

    /// <summary>One entry of a tar stream, with PAX and GNU long names already applied.</summary>
    public sealed class TarEntry
    {
        public string Name { get; internal set; } = "";
        public string LinkName { get; internal set; } = "";
        public TarEntryType Type { get; internal set; }
        public char TypeFlag { get; internal set; }
        public long Size { get; internal set; }
        public long Mode { get; internal set; }
        public long Uid { get; internal set; }
        public long Gid { get; internal set; }
        public string UserName { get; internal set; } = "";
        public string GroupName { get; internal set; } = "";
        public DateTimeOffset ModifiedAt { get; internal set; }
        public long DevMajor { get; internal set; }
        public long DevMinor { get; internal set; }
        public IReadOnlyDictionary<string, string> Xattrs { get; internal set; } = PaxRecords.EmptyXattrs;

        /// <summary>Offset of the entry's data in the tar stream.</summary>
        public long DataOffset { get; internal set; }

        /// <summary>Offset of the entry's first header (its PAX or GNU long-name headers included).</summary>
        public long HeaderOffset { get; internal set; }

        internal static TarEntryType TypeOf(char flag) => flag switch
        {
            '0' or '7' => TarEntryType.File,
            '5' => TarEntryType.Directory,
            '2' => TarEntryType.Symlink,
            '1' => TarEntryType.Hardlink,
            '3' => TarEntryType.CharDevice,
            '4' => TarEntryType.BlockDevice,
            '6' => TarEntryType.Fifo,
            _ => TarEntryType.Other,
        };

        public override string ToString() => $"{Type} {Name}";
    }
}
