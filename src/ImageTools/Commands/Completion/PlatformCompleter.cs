using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using ImageTools.Graph;
using ImageTools.Oci;
using ImageTools.Stores;

namespace ImageTools.Commands
{
    /// <summary>
    /// Completes -Platform with the platforms of the images -Name selects in the store -Path names (all its images when
    /// -Name is not typed): the platforms of an index's manifests, or the platform of a single manifest's config.
    /// </summary>
    public sealed class PlatformCompleter : StoreCompleter
    {
        internal override IEnumerable<string>? Values(IDictionary bound, string word)
        {
            var store = CompletionInput.Store(bound);
            return store == null ? null : Platforms(store, CompletionInput.Strings(bound, "Name"));
        }

        private static IEnumerable<string> Platforms(IImageStore store, IReadOnlyList<string>? names)
        {
            var candidates = store.Images.Select(n => new ImageNameRule.Candidate<NamedImage>(n,
                n.Name == null ? Array.Empty<string>() : new[] { n.Name }, n.Root.Digest, () => Array.Empty<Digest>())).ToList();
            var graph = StoreGraph.Of(store);
            var result = new List<string>();
            foreach (var (image, _) in ImageNameRule.Select(candidates, names, _ => { }).Selected)
                // the walk takes a manifest's platform from its index entry, or from its config when no index names one
                foreach (var m in graph.Walk(image.Root).Manifests)
                    if (m.Platform != null && m.Platform.Os != "unknown") result.Add(m.Platform.ToString());
            return result;
        }
    }
}
