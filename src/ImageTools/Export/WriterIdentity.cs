using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace ImageTools.Export
{
    /// <summary>
    /// Who writes a temporary file: a process id, that process's start time (so that a pid reused by another process
    /// is not taken for the writer) and its pid namespace (a writer in another container sharing the folder has pids
    /// this process cannot see, so it is never judged). On Linux the start time is field 22 of /proc/&lt;pid&gt;/stat
    /// (clock ticks since boot, exact and stable) and the namespace the inode of /proc/self/ns/pid; elsewhere the
    /// start time in seconds and namespace 0.
    /// </summary>
    internal readonly struct WriterIdentity
    {
        private const long Unknown = -1;

        public WriterIdentity(int pid, long startTime, long pidNamespace)
        {
            Pid = pid;
            StartTime = startTime;
            PidNamespace = pidNamespace;
        }

        public int Pid { get; }
        public long StartTime { get; }
        public long PidNamespace { get; }

        public static WriterIdentity Current { get; } = CurrentProcess();

        /// <summary>
        /// False only when the writer is certainly gone: it ran in this process's pid namespace, and no process has its
        /// id or the one that has it started at another time. A start time that cannot be read counts as alive.
        /// </summary>
        public bool IsAlive
        {
            get
            {
                if (PidNamespace != Current.PidNamespace) return true;
                long? now = StartTimeOf(Pid);
                return now != null && (now == StartTime || now == Unknown);
            }
        }

        public override string ToString() => $"{Pid}-{StartTime}-{PidNamespace}";

        private static WriterIdentity CurrentProcess()
        {
            int pid = Process.GetCurrentProcess().Id;
            return new WriterIdentity(pid, StartTimeOf(pid) ?? Unknown, OwnPidNamespace());
        }

        /// <summary>The start time of a running process (<see cref="Unknown"/> when unreadable), or null when no process has that id.</summary>
        private static long? StartTimeOf(int pid)
        {
            if (pid <= 0) return null;
            if (Directory.Exists("/proc/self"))
            {
                string text;
                try { text = File.ReadAllText($"/proc/{pid}/stat"); }
                catch (UnauthorizedAccessException) { return Unknown; }
                catch (IOException) { return null; }
                // The command name (field 2) is in parentheses and may itself hold spaces and parentheses.
                string[] fields = text.Substring(text.LastIndexOf(')') + 2).Split(' ');
                return fields.Length > 19 && long.TryParse(fields[19], out long ticks) ? ticks : Unknown;
            }
            try
            {
                using var p = Process.GetProcessById(pid);
                return p.StartTime.ToUniversalTime().Ticks / TimeSpan.TicksPerSecond;
            }
            catch (ArgumentException) { return null; }
            catch (InvalidOperationException) { return null; }
        }

        /// <summary>The inode in "pid:[4026531836]", the target of /proc/self/ns/pid; 0 where there is none.</summary>
        private static long OwnPidNamespace()
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux)) return 0;
            var buffer = new byte[64];
            long n = (long)LibC.readlink(LibC.Path("/proc/self/ns/pid"), buffer, (IntPtr)buffer.Length);
            if (n <= 0) return 0;
            string target = Encoding.ASCII.GetString(buffer, 0, (int)n);
            int open = target.IndexOf('['), close = target.IndexOf(']');
            return open > 0 && close > open && long.TryParse(target.Substring(open + 1, close - open - 1), out long inode) ? inode : 0;
        }
    }
}
