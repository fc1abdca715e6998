using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using ImageTools.Stores.Registry;

namespace ImageTools.Commands
{
    /// <summary>Completes repository names from the registry storage that -Path or -LiteralPath already names.</summary>
    public sealed class RegistryRepositoryCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            CompletionInput.Safely(() => RegistryCompletion.Open(fakeBoundParameters)?.RepositoryDirectories(_ => { }).Select(r => r.Name), wordToComplete);
    }

    /// <summary>Completes tags from the registry storage that -Path names, in the repositories -Repository names.</summary>
    public sealed class RegistryTagCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            CompletionInput.Safely(() =>
            {
                var store = RegistryCompletion.Open(fakeBoundParameters);
                if (store == null) return null;
                var repos = CompletionInput.Strings(fakeBoundParameters, "Repository");
                var tags = new List<string>();
                foreach (var (name, dir) in store.RepositoryDirectories(_ => { }))
                    if (RegistryCmdlet.Matches(name, repos))
                        tags.AddRange(RegistryRepositoryContents.Load(name, dir, _ => { }).Tags.Select(t => t.Name));
                return tags;
            }, wordToComplete);
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
