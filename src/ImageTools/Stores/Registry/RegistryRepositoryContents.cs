using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ImageTools.Oci;

namespace ImageTools.Stores.Registry
{
    /// <summary>A tag of a repository: <c>_manifests/tags/&lt;tag&gt;/current/link</c> and its <c>index</c> history.</summary>
    public sealed class RegistryTagContents
    {
        public RegistryTagContents(string name, string directory, Digest current, IReadOnlyList<RegistryLink> history)
        {
            Name = name;
            Directory = directory;
            Current = current;
            History = history;
        }

        public string Name { get; }
        public string Directory { get; }
        public Digest Current { get; }

        /// <summary>Every digest in the tag's <c>index</c> folder: the manifests the tag has pointed at.</summary>
        public IReadOnlyList<RegistryLink> History { get; }
    }

    /// <summary>What one repository folder holds: tags, manifest revisions, layer links and uploads.</summary>
    public sealed class RegistryRepositoryContents
    {
        internal RegistryRepositoryContents(string name, string directory)
        {
            Name = name;
            Directory = directory;
        }

        /// <summary>The repository name as stored (<c>aiops/data-cleaning</c>).</summary>
        public string Name { get; }
        public string Directory { get; }
        public List<RegistryTagContents> Tags { get; } = new List<RegistryTagContents>();

        /// <summary>Manifest revisions with a valid link (<c>_manifests/revisions/&lt;alg&gt;/&lt;hex&gt;/link</c>).</summary>
        public List<RegistryLink> Revisions { get; } = new List<RegistryLink>();

        public List<RegistryLink> LayerLinks { get; } = new List<RegistryLink>();

        /// <summary>The <c>_uploads/&lt;uuid&gt;</c> folders of unfinished uploads.</summary>
        public List<string> Uploads { get; } = new List<string>();

        public string ManifestsDirectory => Path.Combine(Directory, "_manifests");
        public string RevisionsDirectory => Path.Combine(ManifestsDirectory, "revisions");
        public string TagsDirectory => Path.Combine(ManifestsDirectory, "tags");
        public string LayersDirectory => Path.Combine(Directory, "_layers");
        public string UploadsDirectory => Path.Combine(Directory, "_uploads");

        /// <summary>The digests the repository's tags currently point at.</summary>
        public HashSet<Digest> TaggedDigests() => new HashSet<Digest>(Tags.Select(t => t.Current));

        /// <summary>
        /// Reads a repository folder; problems with single links and tags are reported and skipped. Nothing is read
        /// through a symlink that leads out of <paramref name="room"/> (by default the storage the folder is in).
        /// A folder with nothing unusual in it is read the quick way (<see cref="QuickRepositoryReader"/>).
        /// </summary>
        public static RegistryRepositoryContents Load(string name, string directory, Action<ImageToolsException> onError, RegistryRoom? room = null)
        {
            room ??= RegistryRoom.OfRepository(name, directory);
            return QuickRepositoryReader.TryLoad(name, directory, room) ?? LoadChecked(name, directory, onError, room);
        }

        /// <summary><see cref="Load"/> through the room alone: every path resolved and checked, every problem reported.</summary>
        internal static RegistryRepositoryContents LoadChecked(string name, string directory, Action<ImageToolsException> onError, RegistryRoom room)
        {
            var repo = new RegistryRepositoryContents(name, directory);
            repo.Revisions.AddRange(RegistryLinks.ReadAll(room, repo.RevisionsDirectory, onError));
            repo.LayerLinks.AddRange(RegistryLinks.ReadAll(room, repo.LayersDirectory, onError));
            if (room.IsFolder(repo.TagsDirectory, onError))
            {
                foreach (var entry in room.NonFolders(repo.TagsDirectory))
                    onError(new ImageToolsException(ErrorId.StoreUnreadable,
                        $"Tag entry {entry} of repository {name} is not a folder: a tag is a folder holding current/link.", entry, entry));
                foreach (var tagDir in room.Folders(repo.TagsDirectory, onError))
                {
                    string tag = Path.GetFileName(tagDir);
                    var why = RegistryLayout.CheckTag(tag);
                    if (why != null)
                    {
                        onError(new ImageToolsException(ErrorId.InvalidReference,
                            $"Tag folder {tagDir} of repository {name} is not a valid tag name ('{RegistryLinks.Printable(tag)}'): {why}.", tagDir, tagDir));
                        continue;
                    }
                    string current = Path.Combine(tagDir, "current", "link");
                    try
                    {
                        var digest = RegistryLinks.Read(room, current);
                        repo.Tags.Add(new RegistryTagContents(tag, tagDir, digest, RegistryLinks.ReadAll(room, Path.Combine(tagDir, "index"), onError)));
                    }
                    catch (ImageToolsException e) { onError(e); }
                    catch (IOException e) { onError(new ImageToolsException(ErrorId.StoreUnreadable, $"Cannot read {current}: {e.Message}", current, current, e)); }
                }
            }
            if (room.IsFolder(repo.UploadsDirectory, onError))
                repo.Uploads.AddRange(room.Folders(repo.UploadsDirectory, onError));
            return repo;
        }
    }
}
