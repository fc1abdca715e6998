using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using ImageTools.Oci;
using ImageTools.Stores;

namespace ImageTools.Commands
{
    /// <summary>
    /// Matches -Name values against a store's images the way docker does: a reference (normalized, so
    /// <c>base:1.0</c> = <c>docker.io/library/base:1.0</c>), a repository alone (every tag), a digest, an image
    /// ID or unique ID prefix; plus PowerShell wildcards on the names.
    /// </summary>
    internal sealed class ImageSelector
    {
        private const int MinimumIdPrefix = 4;
        private readonly string[]? _patterns;
        private readonly List<string> _unmatched = new List<string>();

        public ImageSelector(string[]? patterns) { _patterns = patterns; }

        public IReadOnlyList<string> Unmatched => _unmatched;

        public IEnumerable<Image> Select(IImageStore store, Action<Exception> onError) =>
            SelectWithNaming(store, onError).Select(m => m.Image).Distinct();

        /// <summary>
        /// The selected images, each with whether it was selected by name (a reference, a repository, a wildcard:
        /// docker save keeps those names) or by identity (a digest, an image ID: saved without names).
        /// </summary>
        public IReadOnlyList<(Image Image, bool ByName)> SelectWithNaming(IImageStore store, Action<Exception> onError)
        {
            // Names are matched without reading anything; manifests and configs are read only for the images
            // selected, or for all of them when a pattern needs image IDs (a big registry has thousands of tags).
            var images = store.Images.Select(n => new Image(store, n)).ToList();
            if (_patterns == null || _patterns.Length == 0) return images.Select(i => (ImageDetails.Fill(i, onError), true)).ToList();
            var selected = new List<(Image, bool)>();
            foreach (var pattern in _patterns)
            {
                var (matches, byName) = Match(images, pattern, onError);
                if (matches.Count == 0) _unmatched.Add(pattern);
                foreach (var m in matches) if (!selected.Contains((m, byName))) selected.Add((m, byName));
            }
            foreach (var (image, _) in selected) ImageDetails.Fill(image, onError);
            return selected;
        }

        private static (List<Image> Images, bool ByName) Match(List<Image> images, string pattern, Action<Exception> onError)
        {
            if (WildcardPattern.ContainsWildcardCharacters(pattern))
            {
                var w = new WildcardPattern(pattern, WildcardOptions.IgnoreCase);
                return (images.Where(i => (i.Name != null && w.IsMatch(i.Name)) || (i.FullName != null && w.IsMatch(i.FullName))
                                         || w.IsMatch(i.Digest.ToString())).ToList(), true);
            }
            if (Digest.TryParse(pattern, out var digest) && digest!.IsSupported)
            {
                var byRoot = images.Where(i => i.Digest == digest).ToList();
                if (byRoot.Count > 0) return (byRoot, false);
                return (WithDetails(images, onError).Where(i => i.ImageIds.Contains(digest!)).ToList(), false);
            }

            var byName = new List<Image>();
            if (ImageReference.TryParse(pattern, out var reference))
            {
                byName = images.Where(i => Matches(i, reference!)).ToList();
                if (byName.Count > 0) return (byName, reference!.Digest == null);
            }
            byName = images.Where(i => string.Equals(i.Name, pattern, StringComparison.Ordinal)).ToList();
            if (byName.Count > 0) return (byName, true);

            if (pattern.Length >= MinimumIdPrefix && Hex.IsLowerHex(pattern))
            {
                var byId = WithDetails(images, onError).Where(i => i.ImageIds.Any(id => id.Encoded.StartsWith(pattern, StringComparison.Ordinal))).ToList();
                var distinct = byId.SelectMany(i => i.ImageIds).Where(id => id.Encoded.StartsWith(pattern, StringComparison.Ordinal)).Distinct().Count();
                if (distinct > 1)
                {
                    onError(new ImageToolsException(ErrorId.InvalidReference,
                        $"'{pattern}' is an ambiguous image ID prefix: it matches {distinct} image IDs. Give more characters.", pattern));
                    return (new List<Image>(), false);
                }
                return (byId, false);
            }
            return (byName, true);
        }

        private static bool Matches(Image image, ImageReference wanted)
        {
            if (image.FullName == null || !ImageReference.TryParse(image.FullName, out var have)) return false;
            if (have!.Repository != wanted.Repository) return false;
            if (wanted.IsNameOnly) return true;
            if (wanted.Tag != null && have.Tag != wanted.Tag) return false;
            if (wanted.Digest != null && image.Digest != wanted.Digest) return false;
            return true;
        }

        private static List<Image> WithDetails(List<Image> images, Action<Exception> onError)
        {
            foreach (var i in images) ImageDetails.Fill(i, onError);
            return images;
        }
    }
}
