using System;
using System.Collections.Generic;
using System.Linq;
using ImageTools.Oci;

namespace ImageTools.Graph
{
    /// <summary>What a -Name value selected, and how: by a name (docker save keeps it) or by identity (a digest, an ID).</summary>
    public sealed class NameSelection<T>
    {
        internal NameSelection() { }

        /// <summary>The items selected, each once, in the order the values and the store list them.</summary>
        public IReadOnlyList<(T Item, bool ByName)> Selected => SelectedList;

        /// <summary>The values that selected nothing (ImageNotFound for each, unless another store has them).</summary>
        public IReadOnlyList<string> Unmatched => UnmatchedList;

        internal List<(T Item, bool ByName)> SelectedList { get; } = new List<(T, bool)>();
        internal List<string> UnmatchedList { get; } = new List<string>();
    }

    /// <summary>
    /// The one rule for which images a -Name value selects, in every command and every store, tried in this order:
    /// <list type="number">
    /// <item>PowerShell wildcards (the value has <c>*</c>, <c>?</c> or <c>[</c>), on the recorded name, its familiar and normalized forms, and the root digest;</item>
    /// <item>a name exactly as the store records it (so <c>app:2.0</c> and <c>docker.io/library/app:2.0</c> recorded side by side stay apart);</item>
    /// <item>a digest: the root's digest, else an image ID (config digest);</item>
    /// <item>the normalized reference (<c>base:1.0</c> = <c>docker.io/library/base:1.0</c>); a repository alone selects all its tags;</item>
    /// <item>a unique prefix of an image ID, at least <see cref="MinimumIdPrefix"/> hex characters (with or without <c>sha256:</c>).</item>
    /// </list>
    /// </summary>
    public static class ImageNameRule
    {
        /// <summary>The shortest image ID prefix accepted, everywhere.</summary>
        public const int MinimumIdPrefix = 4;

        /// <summary>How the rule sees one item of a store's names table.</summary>
        public sealed class Candidate<T>
        {
            // isArtifact: whether the item is an attached artifact (a signature, an SBOM, a referrers index); asked only when no value names it exactly.
            public Candidate(T item, IReadOnlyList<string> recordedNames, Digest? root, Func<IEnumerable<Digest>> imageIds, Func<bool>? isArtifact = null)
            {
                Item = item;
                _isArtifact = isArtifact;
                RecordedNames = recordedNames;
                Root = root;
                _imageIds = imageIds;
                References = recordedNames.Select(n => ImageReference.TryParse(n, out var r) ? r : null).Where(r => r != null).Select(r => r!).ToList();
            }

            private readonly Func<IEnumerable<Digest>> _imageIds;
            private IReadOnlyList<Digest>? _ids;
            private readonly Func<bool>? _isArtifact;
            private bool? _artifact;

            public T Item { get; }
            public IReadOnlyList<string> RecordedNames { get; }
            public IReadOnlyList<ImageReference> References { get; }
            public Digest? Root { get; }

            /// <summary>Read only when a value needs them (a big registry has thousands of tags).</summary>
            public IReadOnlyList<Digest> ImageIds => _ids ??= _imageIds().ToList();

            /// <summary>An artifact is not one of "all images": only a value naming it exactly (its name, its digest) selects it.</summary>
            public bool IsArtifact => _artifact ??= _isArtifact != null && _isArtifact();
        }

        /// <summary>Every image (artifacts left out) when <paramref name="values"/> is empty; else what each value selects by the rule.</summary>
        public static NameSelection<T> Select<T>(IReadOnlyList<Candidate<T>> candidates, IReadOnlyList<string>? values, Action<ImageToolsException> onError)
        {
            var selection = new NameSelection<T>();
            if (values == null || values.Count == 0)
            {
                foreach (var c in candidates)
                    if (!c.IsArtifact) selection.SelectedList.Add((c.Item, true));
                return selection;
            }
            var seen = new HashSet<(int, bool)>();
            foreach (var value in values)
            {
                var (matches, byName) = Match(candidates, value, onError);
                if (matches.Count == 0) selection.UnmatchedList.Add(value);
                foreach (var m in matches)
                    if (seen.Add((m, byName))) selection.SelectedList.Add((candidates[m].Item, byName));
            }
            return selection;
        }

        /// <summary>The ImageNotFound error for a value no store matched.</summary>
        public static ImageToolsException NotFound(string value, IEnumerable<string> where) =>
            new ImageToolsException(ErrorId.ImageNotFound, $"No image in {string.Join(", ", where)} matches '{value}'.", value);

        private static (List<int> Matches, bool ByName) Match<T>(IReadOnlyList<Candidate<T>> all, string value, Action<ImageToolsException> onError)
        {
            if (Wildcard.HasWildcards(value))
            {
                var w = new Wildcard(value);
                return (Where(all, c => !c.IsArtifact && (c.RecordedNames.Any(w.IsMatch) || c.References.Any(r => w.IsMatch(r.ToString()) || w.IsMatch(r.FamiliarName))
                                        || (c.Root != null && w.IsMatch(c.Root.ToString())))), true);
            }
            var exact = Where(all, c => c.RecordedNames.Contains(value, StringComparer.Ordinal));
            if (exact.Count > 0) return (exact, !value.Contains("@"));

            if (Digest.TryParse(value, out var digest) && digest!.IsSupported)
            {
                var byRoot = Where(all, c => c.Root == digest);
                if (byRoot.Count > 0) return (byRoot, false);
                return (Where(all, c => c.ImageIds.Contains(digest)), false);
            }
            if (ImageReference.TryParse(value, out var wanted))
            {
                var byReference = Where(all, c => c.References.Any(r => Same(r, wanted!, c.Root)));
                if (byReference.Count > 0) return (byReference, wanted!.Digest == null);
            }
            var hex = value.StartsWith("sha256:", StringComparison.Ordinal) ? value.Substring(7) : value;
            if (hex.Length >= MinimumIdPrefix && Hex.IsLowerHex(hex))
            {
                var byId = Where(all, c => c.ImageIds.Any(id => id.Encoded.StartsWith(hex, StringComparison.Ordinal)));
                int distinct = byId.SelectMany(i => all[i].ImageIds).Where(id => id.Encoded.StartsWith(hex, StringComparison.Ordinal)).Distinct().Count();
                if (distinct > 1)
                {
                    onError(new ImageToolsException(ErrorId.InvalidReference,
                        $"'{value}' is an ambiguous image ID prefix: it matches {distinct} image IDs. Give more characters.", value));
                    return (new List<int>(), false);
                }
                return (byId, false);
            }
            return (new List<int>(), true);
        }

        private static bool Same(ImageReference have, ImageReference wanted, Digest? root)
        {
            if (have.Repository != wanted.Repository) return false;
            if (wanted.IsNameOnly) return true;
            if (wanted.Tag != null && have.Tag != wanted.Tag) return false;
            if (wanted.Digest != null && root != wanted.Digest && have.Digest != wanted.Digest) return false;
            return true;
        }

        private static List<int> Where<T>(IReadOnlyList<Candidate<T>> all, Func<Candidate<T>, bool> test)
        {
            var list = new List<int>();
            for (int i = 0; i < all.Count; i++) if (test(all[i])) list.Add(i);
            return list;
        }
    }
}
