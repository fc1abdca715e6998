using System;
using System.Collections.Generic;

namespace ImageTools.Graph
{
    /// <summary>The stores one command has opened, each opened once per path and kind (an image store, registry storage, a Docker root).</summary>
    public sealed class OpenedStores
    {
        private readonly Dictionary<(string, Type), object> _open = new Dictionary<(string, Type), object>();

        /// <summary>The store at <paramref name="path"/>, opened now (<paramref name="isNew"/>) or earlier by this command; a failure is thrown, not kept.</summary>
        public T Open<T>(string path, Func<string, T> open, out bool isNew) where T : class
        {
            var key = (path, typeof(T));
            if (_open.TryGetValue(key, out var found)) { isNew = false; return (T)found; }
            var store = open(path);
            _open[key] = store;
            isNew = true;
            return store;
        }
    }
}
