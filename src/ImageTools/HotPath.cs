using System;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace ImageTools
{
    /// <summary>
    /// <c>[MethodImpl(HotPath.Optimized)]</c> marks a method that runs once per record of a large listing: the runtime
    /// compiles it fully optimized on its first call instead of running its precompiled (ReadyToRun) code and then an
    /// instrumented version of it (tiered PGO) for the next dozen listings, which was slower than either.
    /// Only for a few small methods: each is compiled in every new session (see <see cref="Prepare"/>).
    /// </summary>
    internal static class HotPath
    {
        /// <summary>MethodImplOptions.AggressiveOptimization, which netstandard2.0 does not name.</summary>
        internal const MethodImplOptions Optimized = (MethodImplOptions)512;

        /// <summary>
        /// Compiles the methods and constructors of <paramref name="types"/> marked <see cref="Optimized"/> now (a
        /// closed generic type's with its type arguments). Run on a thread of its own while the module is imported,
        /// so that a new session's first listing does not compile them on its own thread; a failure only means that
        /// they are compiled on first call, as without it.
        /// </summary>
        internal static void Prepare(params Type[] types)
        {
            const BindingFlags Declared = BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
            foreach (var type in types)
            {
                RuntimeTypeHandle[]? instantiation = null;
                if (type.IsGenericType)
                {
                    var arguments = type.GetGenericArguments();
                    instantiation = new RuntimeTypeHandle[arguments.Length];
                    for (int i = 0; i < arguments.Length; i++) instantiation[i] = arguments[i].TypeHandle;
                }
                foreach (var method in type.GetMethods(Declared)) PrepareMethod(method, instantiation);
                foreach (var constructor in type.GetConstructors(Declared)) PrepareMethod(constructor, instantiation);
            }
        }

        private static void PrepareMethod(MethodBase method, RuntimeTypeHandle[]? instantiation)
        {
            if ((method.MethodImplementationFlags & (MethodImplAttributes)Optimized) == 0 || method.IsGenericMethodDefinition) return;
            if (instantiation == null) RuntimeHelpers.PrepareMethod(method.MethodHandle);
            else RuntimeHelpers.PrepareMethod(method.MethodHandle, instantiation);
        }
    }
}
