using System.Text;
using ImageTools.Content;
using Xunit;

namespace ImageTools.UnitTests.Content
{
    public class Crc64IsoTests
    {
        // Go: crc64.Checksum([]byte("123456789"), crc64.MakeTable(crc64.ISO)) == 0xb90956c775a41001
        [Fact]
        public void MatchesGosIsoCheckValue() =>
            Assert.Equal(0xb90956c775a41001UL, Crc64Iso.Compute(Encoding.ASCII.GetBytes("123456789")));

        [Fact]
        public void EmptyInputIsZero() => Assert.Equal(0UL, Crc64Iso.Compute(new byte[0]));

        [Fact]
        public void IsNotEcma182() =>
            // CRC-64/XZ (ECMA-182 reflected) of "123456789" is 0x995dc9bbdf1939fa; ISO must differ
            Assert.NotEqual(0x995dc9bbdf1939faUL, Crc64Iso.Compute(Encoding.ASCII.GetBytes("123456789")));

        [Fact]
        public void SlicingBy8AgreesWithByteAtATimeAcrossChunking()
        {
            var data = new byte[1000];
            for (int i = 0; i < data.Length; i++) data[i] = (byte)(i * 31 + 7);
            ulong whole = Crc64Iso.Compute(data);
            // byte-at-a-time through Update with 1-byte slices (never takes the 8-byte path)
            ulong bytewise = 0;
            for (int i = 0; i < data.Length; i++) bytewise = Crc64Iso.Update(bytewise, data, i, 1);
            Assert.Equal(whole, bytewise);
            var c = new Crc64Iso();
            c.Append(data, 0, 333); c.Append(data, 333, 17); c.Append(data, 350, 650);
            Assert.Equal(whole, c.Value);
            var b = c.GetBytes();
            Assert.Equal((byte)(whole >> 56), b[0]);
            Assert.Equal((byte)whole, b[7]);
        }
    }
}
