using System;
using System.Collections.Generic;
using System.Linq;
using ImageTools.Graph;
using ImageTools.Referrers;
using ImageTools.Stores;

namespace ImageTools.Commands
{
    /// <summary>Applies the one name rule (<see cref="ImageNameRule"/>) to a store's images as Get-Image shows them.</summary>
    internal static class ImageSelector
    {
        /// <summary>
        /// The images -Name selects in one store, each with whether it was selected by name (docker save keeps the
        /// name) or by identity (a digest, an image ID: saved without names); their details are filled from the graph.
        /// </summary>
        public static NameSelection<Image> Select(IImageStore store, IReadOnlyList<string>? names, Action<Exception> onError)
        {
            var titles = ImageTitle.For(store);
            var candidates = store.Images.Select((n, i) => (Named: n, Image: new Image(store, n, titles[i])))
                .Select(p => new ImageNameRule.Candidate<Image>(p.Image,
                    p.Image.RecordedName == null ? Array.Empty<string>() : new[] { p.Image.RecordedName },
                    p.Image.Descriptor.Digest, () => ImageDetails.Fill(p.Image, onError).ImageIdValues,
                    () => ArtifactRoots.IsArtifact(store, p.Named)))
                .ToList();
            var selection = ImageNameRule.Select(candidates, names, onError);
            foreach (var (image, _) in selection.Selected) ImageDetails.Fill(image, onError);
            return selection;
        }
    }
}
