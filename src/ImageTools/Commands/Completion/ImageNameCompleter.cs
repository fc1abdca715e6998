using System.Collections;
using System.Collections.Generic;
using System.Linq;

namespace ImageTools.Commands
{
    /// <summary>Completes -Name with the names recorded in the store -Path or -LiteralPath names (in the -Namespace typed, for containerd).</summary>
    public sealed class ImageNameCompleter : StoreCompleter
    {
        internal override IEnumerable<string>? Values(IDictionary bound, string word) =>
            CompletionInput.Store(bound)?.Images.Select(i => i.Name!);
    }
}
