using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using ImageTools.Export;
using ImageTools.Oci;

namespace ImageTools.Commands
{
    /// <summary>
    /// The progress of a save or push, written on the command's thread while the work runs on others: one overall
    /// record (bytes of all blobs) and one child record per blob moving (ParentId = the overall one), each closed
    /// when its blob is done; at the end the overall record shows 100 % before it is closed.
    /// </summary>
    internal sealed class TransferProgressWriter
    {
        private readonly Cmdlet _cmdlet;
        private readonly TransferProgress _state;
        private readonly ProgressRecord _overall;
        private readonly Dictionary<Digest, ProgressRecord> _shown = new Dictionary<Digest, ProgressRecord>();
        private int _nextActivity;
        private bool _completed;

        public TransferProgressWriter(Cmdlet cmdlet, TransferProgress state, string activity, string status)
        {
            _cmdlet = cmdlet;
            _state = state;
            _overall = new ProgressRecord(1, activity, status);
            _nextActivity = 2;
        }

        /// <summary>Runs <paramref name="work"/> on a thread of the pool, writing progress (and <paramref name="poll"/>'s output) every quarter second until it ends; its result or failure.</summary>
        public T Run<T>(Func<T> work, Action poll)
        {
            var task = Task.Run(work);
            try
            {
                while (!((IAsyncResult)task).AsyncWaitHandle.WaitOne(250))
                {
                    poll();
                    Write();
                }
                poll();
                var result = task.GetAwaiter().GetResult();
                Complete(succeeded: true);
                return result;
            }
            finally { Complete(succeeded: false); }
        }

        private void Write()
        {
            long moving = 0;
            var now = _state.InFlight.ToArray();
            foreach (var kv in now)
            {
                long bytes = Math.Min(kv.Value.Size, kv.Value.Bytes);
                moving += bytes;
                if (!_shown.TryGetValue(kv.Key, out var record))
                    _shown[kv.Key] = record = new ProgressRecord(_nextActivity++, "Blob", kv.Key.ToString()) { ParentActivityId = _overall.ActivityId };
                record.StatusDescription = $"{kv.Key} {bytes >> 20} of {kv.Value.Size >> 20} MiB";
                record.PercentComplete = kv.Value.Size > 0 ? (int)Math.Min(100, bytes * 100 / kv.Value.Size) : 0;
                _cmdlet.WriteProgress(record);
            }
            foreach (var gone in _shown.Keys.Where(d => !now.Any(kv => kv.Key == d)).ToList()) Close(gone);
            long total = _state.TotalBytes;
            long done = Math.Min(total, _state.DoneBytes + moving);
            _overall.StatusDescription = $"{_state.Label}: {done >> 20} of {total >> 20} MiB";
            _overall.PercentComplete = total > 0 ? (int)(done * 100 / total) : 0;
            _cmdlet.WriteProgress(_overall);
        }

        private void Close(Digest digest)
        {
            ProgressEnd.Complete(_cmdlet, _shown[digest]);
            _shown.Remove(digest);
        }

        /// <summary>Closes every record once; after a success the overall one says all bytes moved.</summary>
        private void Complete(bool succeeded)
        {
            if (_completed) return;
            _completed = true;
            foreach (var digest in _shown.Keys.ToList()) Close(digest);
            if (succeeded) _overall.StatusDescription = $"{_state.Label}: {_state.TotalBytes >> 20} of {_state.TotalBytes >> 20} MiB";
            // new records for the ending (ProgressEnd): a host may keep the records it was given, so one is never changed after it was written
            ProgressEnd.Complete(_cmdlet, _overall);
        }
    }
}
