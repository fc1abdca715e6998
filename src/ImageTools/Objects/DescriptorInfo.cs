using ImageTools.Oci;

namespace ImageTools
{
    /// <summary>
    /// One entry of an index (a manifest it lists) as plain data: media type, digest text, size and platform, so that
    /// ConvertTo-Json at its default depth shows it whole.
    /// </summary>
    public sealed class DescriptorInfo
    {
        internal DescriptorInfo(Descriptor descriptor)
        {
            MediaType = descriptor.MediaType;
            Digest = descriptor.Digest.ToOutput();
            Size = descriptor.Size;
            Platform = descriptor.Platform?.ToString();
        }

        public string MediaType { get; }
        public string Digest { get; }
        public long Size { get; }
        public string? Platform { get; }

        public override string ToString() => Digest;
    }
}
