namespace ImageTools.Content
{
    /// <summary>Unix mode bits as <c>ls -l</c> prints them.</summary>
    public static class FileModes
    {
        /// <summary>Permission bits with setuid, setgid and sticky (07777).</summary>
        public const int PermissionMask = 0xFFF;

        public static char TypeChar(TarEntryType type) => type switch
        {
            TarEntryType.Directory => 'd',
            TarEntryType.Symlink => 'l',
            TarEntryType.CharDevice => 'c',
            TarEntryType.BlockDevice => 'b',
            TarEntryType.Fifo => 'p',
            _ => '-',
        };

        /// <summary>For example <c>-rwxr-xr-x</c>, <c>drwxrwxrwt</c>, <c>-rwsr-xr-x</c>.</summary>
        public static string ToSymbolic(TarEntryType type, int mode)
        {
            var c = new char[10];
            c[0] = TypeChar(type);
            string rwx = "rwxrwxrwx";
            for (int i = 0; i < 9; i++) c[i + 1] = (mode & (1 << (8 - i))) != 0 ? rwx[i] : '-';
            if ((mode & 0x800) != 0) c[3] = c[3] == 'x' ? 's' : 'S';
            if ((mode & 0x400) != 0) c[6] = c[6] == 'x' ? 's' : 'S';
            if ((mode & 0x200) != 0) c[9] = c[9] == 'x' ? 't' : 'T';
            return new string(c);
        }

        public static string ToOctal(int mode) => System.Convert.ToString(mode & PermissionMask, 8).PadLeft(4, '0');
    }
}
