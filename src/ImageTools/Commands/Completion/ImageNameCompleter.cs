using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace ImageTools.Commands
{
    /// <summary>Completes -Name with the names recorded in the store -Path or -LiteralPath names (in the -Namespace typed, for containerd).</summary>
    public sealed class ImageNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            CompletionInput.Safely(() => CompletionInput.Store(fakeBoundParameters)?.Images.Select(i => i.Name!), wordToComplete);
    }
}
