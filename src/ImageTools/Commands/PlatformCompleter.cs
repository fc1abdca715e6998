using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace ImageTools.Commands
{
    /// <summary>Completes -Platform with the common os/architecture[/variant] values.</summary>
    public sealed class PlatformCompleter : IArgumentCompleter
    {
        private static readonly string[] Common =
        {
            "linux/amd64", "linux/arm64/v8", "linux/arm/v7", "linux/arm/v6", "linux/386", "linux/ppc64le", "linux/s390x", "linux/riscv64", "windows/amd64",
        };

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            Common.Where(p => p.StartsWith(wordToComplete ?? "", System.StringComparison.OrdinalIgnoreCase))
                  .Select(p => new CompletionResult(p, p, CompletionResultType.ParameterValue, p));
    }
}
