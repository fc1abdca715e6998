using System.Collections;
using System.Collections.Generic;
using System.Linq;
using ImageTools.Stores.Registry;

namespace ImageTools.Commands
{
    /// <summary>Completes repository names from the registry storage that -Path or -LiteralPath already names.</summary>
    public sealed class RegistryRepositoryCompleter : StoreCompleter
    {
        internal override IEnumerable<string>? Values(IDictionary bound, string word) =>
            RegistryCompletion.Open(bound)?.RepositoryDirectories(_ => { }).Select(r => r.Name);
    }

    /// <summary>Completes tags from the registry storage that -Path names, in the repositories -Repository names.</summary>
    public sealed class RegistryTagCompleter : StoreCompleter
    {
        internal override IEnumerable<string>? Values(IDictionary bound, string word)
        {
            var store = RegistryCompletion.Open(bound);
            if (store == null) return null;
            var repos = CompletionInput.Strings(bound, "Repository");
            var tags = new List<string>();
            foreach (var (name, dir) in store.RepositoryDirectories(_ => { }))
                if (RegistryCmdlet.Matches(name, repos))
                    tags.AddRange(RegistryRepositoryContents.Load(name, dir, _ => { }).Tags.Select(t => t.Name));
            return tags;
        }
    }

    internal static class RegistryCompletion
    {
        public static RegistryStore? Open(IDictionary bound)
        {
            var path = CompletionInput.StorePath(bound);
            return path != null && RegistryStore.Recognize(path) ? new RegistryStore(path) : null;
        }
    }
}
