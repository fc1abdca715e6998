using System.Runtime.CompilerServices;

namespace ImageTools
{
    /// <summary>
    /// <c>[MethodImpl(HotPath.Optimized)]</c> marks a method that runs once per record of a large listing: the runtime
    /// compiles it fully optimized on its first call instead of running its precompiled (ReadyToRun) code and then an
    /// instrumented version of it (tiered PGO) for the next dozen listings, which was slower than either.
    /// Only for a few small methods: each is compiled in every new session.
    /// </summary>
    internal static class HotPath
    {
        /// <summary>MethodImplOptions.AggressiveOptimization, which netstandard2.0 does not name.</summary>
        internal const MethodImplOptions Optimized = (MethodImplOptions)512;
    }
}
