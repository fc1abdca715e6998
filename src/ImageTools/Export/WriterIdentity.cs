using System;
using System.Diagnostics;
using System.IO;

namespace ImageTools.Export
{
    /// <summary>
    /// Who writes a temporary file: a process id and that process's start time, so that a pid reused by another
    /// process is not taken for the writer. On Linux the start time is field 22 of /proc/&lt;pid&gt;/stat (clock ticks
    /// since boot, exact and stable); elsewhere the process's start time in seconds.
    /// </summary>
    internal readonly struct WriterIdentity
    {
        public WriterIdentity(int pid, long startTime)
        {
            Pid = pid;
            StartTime = startTime;
        }

        public int Pid { get; }
        public long StartTime { get; }

        public static WriterIdentity Current { get; } = Of(Process.GetCurrentProcess().Id) ?? new WriterIdentity(Process.GetCurrentProcess().Id, 0);

        private const long Unknown = -1;

        /// <summary>True while the process that wrote under this identity may still be running: a process with its id
        /// and start time exists, or one with its id whose start time cannot be read.</summary>
        public bool IsAlive => Of(Pid) is WriterIdentity now && (now.StartTime == StartTime || now.StartTime == Unknown);

        /// <summary>The identity of a running process (start time <see cref="Unknown"/> when unreadable), or null when no process has that id.</summary>
        public static WriterIdentity? Of(int pid)
        {
            if (pid <= 0) return null;
            string stat = $"/proc/{pid}/stat";
            if (Directory.Exists("/proc/self"))
            {
                string text;
                try { text = File.ReadAllText(stat); }
                catch (IOException) { return null; }
                catch (UnauthorizedAccessException) { return new WriterIdentity(pid, Unknown); }
                // The command name (field 2) is in parentheses and may itself hold spaces and parentheses.
                string[] fields = text.Substring(text.LastIndexOf(')') + 2).Split(' ');
                return fields.Length > 19 && long.TryParse(fields[19], out long ticks) ? new WriterIdentity(pid, ticks) : new WriterIdentity(pid, Unknown);
            }
            try
            {
                using var p = Process.GetProcessById(pid);
                return new WriterIdentity(pid, p.StartTime.ToUniversalTime().Ticks / TimeSpan.TicksPerSecond);
            }
            catch (ArgumentException) { return null; }
            catch (InvalidOperationException) { return null; }
        }

        public override string ToString() => $"{Pid}-{StartTime}";
    }
}
