using System.Management.Automation;

namespace PwshFloor
{
    /// <summary>A plain record with a digest-like string and two numbers: about what a listing's object carries.</summary>
    public sealed class FloorItem
    {
        public string Digest { get; set; } = "";
        public long Size { get; set; }
        public int Index { get; set; }
    }

    /// <summary>Writes -Count plain objects, one WriteObject each, as a streamed listing does.</summary>
    [Cmdlet(VerbsCommon.Get, "FloorItem")]
    [OutputType(typeof(FloorItem))]
    public sealed class GetFloorItemCommand : PSCmdlet
    {
        [Parameter]
        public int Count { get; set; } = 10001;

        protected override void ProcessRecord()
        {
            for (int i = 0; i < Count; i++)
                WriteObject(new FloorItem { Digest = "sha256:" + i.ToString("x64"), Size = i, Index = i });
        }
    }
}
