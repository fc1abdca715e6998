using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace ImageTools.Commands
{
    /// <summary>
    /// A completer for a parameter that names something in a store: <see cref="Values"/> reads what the store holds (from
    /// the -Path and other parameters already typed); the answer is the values that start with the word typed, sorted.
    /// Anything that goes wrong while reading gives no completions.
    /// </summary>
    public abstract class StoreCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            CompletionInput.Safely(() => Values(fakeBoundParameters, wordToComplete ?? ""), wordToComplete ?? "");

        /// <summary>The candidate values, or null when the parameters typed name no readable store.</summary>
        internal abstract IEnumerable<string>? Values(IDictionary bound, string word);
    }
}
