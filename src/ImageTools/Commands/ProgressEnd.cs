using System.Management.Automation;

namespace ImageTools.Commands
{
    /// <summary>How every progress sequence of the module ends: at 100 %, then completed, so no bar is left at 84 %.</summary>
    internal static class ProgressEnd
    {
        /// <summary>
        /// Writes the activity of <paramref name="record"/> at 100 %, then as completed, as records of their own (a host
        /// may keep the records it was given). A stopped pipeline (Ctrl+C) takes no more records: nothing is written then.
        /// </summary>
        public static void Complete(Cmdlet cmdlet, ProgressRecord record)
        {
            try
            {
                cmdlet.WriteProgress(Final(record, ProgressRecordType.Processing));
                cmdlet.WriteProgress(Final(record, ProgressRecordType.Completed));
            }
            catch (PipelineStoppedException) { }
        }

        private static ProgressRecord Final(ProgressRecord r, ProgressRecordType type) =>
            new ProgressRecord(r.ActivityId, r.Activity, r.StatusDescription)
            {
                ParentActivityId = r.ParentActivityId,
                CurrentOperation = r.CurrentOperation,
                PercentComplete = 100,
                RecordType = type,
            };
    }
}
