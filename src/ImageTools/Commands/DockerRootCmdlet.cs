using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using ImageTools.Graph;
using ImageTools.Stores.Docker;

namespace ImageTools.Commands
{
    /// <summary>A cmdlet that reads Docker data roots from -Path/-LiteralPath (default /var/lib/docker).</summary>
    public abstract class DockerRootCmdlet : StoreCmdlet
    {
        protected const string InputObjectSet = "InputObject";

        /// <summary>
        /// Whether the cmdlet's output needs the layers' sizes and tar-split files (read when the root is opened, so that
        /// their problems are reported with the root's); a cmdlet that never shows them reads 8,000 fewer files per 2,000 layers.
        /// </summary>
        protected virtual bool ReadsLayerDetails => true;

        /// <summary>Docker's default data root, read when -Path is left out.</summary>
        protected override string[]? DefaultPath => new[] { "/var/lib/docker" };

        /// <summary>The data roots -Path/-LiteralPath name, opened once; errors for paths that are not Docker data roots.</summary>
        /// <param name="beforeOpening">Called with each path before its root is read (work that can start from the path alone).</param>
        internal IEnumerable<DockerRoot> Roots(Action<string>? beforeOpening = null)
        {
            foreach (var path in StorePaths())
            {
                beforeOpening?.Invoke(path);
                var root = OpenRoot(path);
                if (root != null) yield return root;
            }
        }

        private static DockerRootStore Open(string path)
        {
            if (!System.IO.Directory.Exists(path))
                throw new ImageToolsException(ErrorId.FileNotFound, $"Cannot find the Docker data root '{path}' because it does not exist.", path, path);
            if (!DockerRootStore.Recognize(path))
                throw new ImageToolsException(ErrorId.StoreNotRecognized,
                    $"{path} is not a Docker data root: it has no image/<driver>/imagedb or layerdb folder and no containerd/daemon database.", path, path);
            return new DockerRootStore(path);
        }

        internal DockerRoot? OpenRoot(string path)
        {
            try
            {
                var store = Opened.Open(path, Open, out bool isNew);
                var detailProblems = ReadsLayerDetails ? store.Root.EnsureLayerDetails() : Array.Empty<ImageToolsException>();
                if (!isNew)
                {
                    foreach (var error in detailProblems) WriteFailure(error, error.Target);
                    return store.Root;
                }
                foreach (var note in store.Root.Notes) WriteWarning($"{store.Location}: {note}");
                foreach (var error in store.Root.Errors) WriteFailure(error, error.Target);
                return store.Root;
            }
            catch (Exception e) when (ErrorRecords.IsExpected(e))
            {
                WriteFailure(e, path);
                return null;
            }
        }

        /// <summary>The root an object from another Docker cmdlet came from.</summary>
        internal DockerRoot? RootOf(object o) => o switch
        {
            DockerImage i => i.Root,
            DockerLayer l => l.Root,
            DockerContainer c => c.Root,
            OverlayDirectory d => d.Root,
            _ => null,
        };

        /// <summary>An ID by a unique-enough prefix (at least the one minimum length), with or without sha256:, or a wildcard.</summary>
        internal static bool MatchesId(string pattern, string id)
        {
            string p = pattern.StartsWith("sha256:", StringComparison.Ordinal) ? pattern.Substring(7) : pattern;
            string i = id.StartsWith("sha256:", StringComparison.Ordinal) ? id.Substring(7) : id;
            if (WildcardPattern.ContainsWildcardCharacters(p)) return new WildcardPattern(p, WildcardOptions.IgnoreCase).IsMatch(i);
            return p.Length >= ImageNameRule.MinimumIdPrefix && i.StartsWith(p, StringComparison.OrdinalIgnoreCase);
        }

        /// <summary>The images of a root that -Name values select, by the one name rule; values matching nothing go to <paramref name="unmatched"/>.</summary>
        internal IReadOnlyList<DockerImage> SelectImages(DockerRoot root, string[]? names, UnmatchedNames unmatched)
        {
            var candidates = root.Images.Select(image => new ImageNameRule.Candidate<DockerImage>(image,
                image.RepoTags.Concat(image.RepoDigests).ToList(), null, () => new[] { image.IdValue })).ToList();
            var selection = ImageNameRule.Select(candidates, names, e => WriteFailure(e, root.Location));
            unmatched.Searched(root.Location, selection.Unmatched);
            return selection.Selected.Select(s => s.Item).Distinct().ToList();
        }

        internal static bool ContainerMatches(DockerContainer c, string pattern) =>
            MatchesId(pattern, c.Id) || (c.Name != null && (WildcardPattern.ContainsWildcardCharacters(pattern)
                ? new WildcardPattern(pattern, WildcardOptions.IgnoreCase).IsMatch(c.Name)
                : string.Equals(pattern.TrimStart('/'), c.Name, StringComparison.Ordinal)));
    }
}
