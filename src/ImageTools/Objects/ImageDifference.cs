namespace ImageTools
{
    public enum ImageChangeKind { Added, Removed, Changed }

    /// <summary>One path that differs between two images' merged filesystems, as Compare-Image returns it.</summary>
    public sealed class ImageDifference
    {
        public string Path { get; internal set; } = "";

        /// <summary>Added (only in the difference image), Removed (only in the reference image) or Changed.</summary>
        public string Change => ChangeValue.ToString();
        internal ImageChangeKind ChangeValue { get; set; }

        /// <summary>For Changed: which of Type, Size, Mode, Owner, Content, LinkTarget, Device differ.</summary>
        public ValueList Properties { get; internal set; } = ValueList.Empty;

        public FileSystemEntry? ReferenceEntry { get; internal set; }
        public FileSystemEntry? DifferenceEntry { get; internal set; }

        /// <summary>The side indicator Compare-Object would print: =&gt; added, &lt;= removed, &lt;&gt; changed.</summary>
        public string SideIndicator => ChangeValue == ImageChangeKind.Added ? "=>" : ChangeValue == ImageChangeKind.Removed ? "<=" : "<>";

        public override string ToString() => $"{SideIndicator} {Path}";
    }
}
