using System.Management.Automation;
using System.Threading;
using ImageTools.Stores.Containerd;

namespace ImageTools.Commands
{
    /// <summary>
    /// Runs when the module is imported. It starts compiling the per-record methods of a containerd listing (those
    /// marked <see cref="HotPath.Optimized"/>) on a thread pool thread and returns at once: Import-Module does not wait
    /// for it, and a new session's first Get-ContainerdContent finds them compiled instead of compiling them itself.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer
    {
        public void OnImport()
        {
            ThreadPool.QueueUserWorkItem(_ =>
            {
                // only ever a head start: what fails here is compiled on first call, as without it
                try { HotPath.Prepare(ContainerdContentReader.HotTypes); }
                catch (System.Exception) { }
            });
        }
    }
}
