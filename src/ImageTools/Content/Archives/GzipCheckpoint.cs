namespace ImageTools.Content.Archives
{
    /// <summary>
    /// A place where inflating can restart (zlib's zran): a deflate block boundary at tar offset <see cref="Out"/>,
    /// compressed byte <see cref="In"/> (plus <see cref="Bits"/> bits of the byte before), with the 32 KiB of output
    /// before it that later back-references may reach.
    /// </summary>
    internal sealed class GzipCheckpoint
    {
        public GzipCheckpoint(long @in, int bits, long @out, byte[] window) { In = @in; Bits = bits; Out = @out; Window = window; }
        public long In { get; }
        public int Bits { get; }
        public long Out { get; }
        public byte[] Window { get; }
    }
}
