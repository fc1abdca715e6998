using System;
using System.Collections.Generic;
using System.IO;
using ImageTools.Bolt;
using ImageTools.Oci;

namespace ImageTools.Stores.Containerd
{
    /// <summary>
    /// Reads the image, container and lease records of a namespace (containerd core/metadata/{images,containers,leases}.go).
    /// </summary>
    internal sealed class ContainerdRecordReader
    {
        private static readonly byte[] ImagesKey = BoltBytes.Utf8("images");
        private static readonly byte[] ContainersKey = BoltBytes.Utf8("containers");
        private static readonly byte[] LeasesKey = BoltBytes.Utf8("leases");
        private static readonly byte[] TargetKey = BoltBytes.Utf8("target");
        private static readonly byte[] DigestKey = BoltBytes.Utf8("digest");
        private static readonly byte[] MediaTypeKey = BoltBytes.Utf8("mediatype");
        private static readonly byte[] AnnotationsKey = BoltBytes.Utf8("annotations");
        private static readonly byte[] ImageKey = BoltBytes.Utf8("image");
        private static readonly byte[] RuntimeKey = BoltBytes.Utf8("runtime");
        private static readonly byte[] NameKey = BoltBytes.Utf8("name");
        private static readonly byte[] OptionsKey = BoltBytes.Utf8("options");
        private static readonly byte[] SpecKey = BoltBytes.Utf8("spec");
        private static readonly byte[] SnapshotterKey = BoltBytes.Utf8("snapshotter");
        private static readonly byte[] SnapshotKeyKey = BoltBytes.Utf8("snapshotKey");
        private static readonly byte[] ExtensionsKey = BoltBytes.Utf8("extensions");
        private static readonly byte[] ContentKey = BoltBytes.Utf8("content");
        private static readonly byte[] SnapshotsKey = BoltBytes.Utf8("snapshots");
        private static readonly byte[] IngestsKey = BoltBytes.Utf8("ingests");
        private const string GcExpire = "containerd.io/gc.expire";

        private readonly ContainerdMetadata _metadata;

        public ContainerdRecordReader(ContainerdMetadata metadata) { _metadata = metadata; }

        private Action<string> Problem(Action<ImageToolsException> onError) => message =>
            onError(new ImageToolsException(ErrorId.MalformedContent, $"{_metadata.Root.MetadataPath}: {message}.", message, _metadata.Root.RootPath));

        /// <summary>The image records of a namespace, in name order; a record without a valid target is reported and skipped.</summary>
        public List<ContainerdImage> Images(IImageStore store, string ns, Action<ImageToolsException> onError) =>
            _metadata.ReadOrReport(e => ReadImages(store, ns, e), onError, new List<ContainerdImage>());

        private List<ContainerdImage> ReadImages(IImageStore store, string ns, Action<ImageToolsException> onError)
        {
            var result = new List<ContainerdImage>();
            var images = _metadata.Namespace(ns)?.GetBucket(ImagesKey);
            if (images == null) return result;
            var problem = Problem(onError);
            foreach (var b in images.EnumerateBuckets())
            {
                string? name = ContainerdEncoding.Name(b, problem);
                if (name == null) continue;
                var target = b.GetBucket(TargetKey);
                string? digestText = target == null ? null : ContainerdEncoding.Text(target, DigestKey, problem);
                if (!Digest.TryParse(digestText, out var digest, out var reason))
                {
                    onError(new ImageToolsException(ErrorId.MalformedContent,
                        $"{_metadata.Root.MetadataPath}: image '{name}' in namespace {ns} has no valid target digest ({reason ?? "no target"}).",
                        name, _metadata.Root.RootPath));
                    continue;
                }
                long size = ContainerdEncoding.Varint(target!, ContainerdEncoding.Size, problem) ?? 0;
                string mediaType = ContainerdEncoding.Text(target!, MediaTypeKey, problem) ?? "";
                var annotations = ContainerdEncoding.Pairs(b, AnnotationsKey, problem);
                if (annotations.Count == 0) annotations = ContainerdEncoding.Pairs(target, AnnotationsKey, problem);
                result.Add(new ContainerdImage(store, ns, name, digest!, mediaType, size,
                    ContainerdEncoding.Time(b, ContainerdEncoding.CreatedAt, problem), ContainerdEncoding.Time(b, ContainerdEncoding.UpdatedAt, problem),
                    ContainerdEncoding.Pairs(b, ContainerdMetadata.Labels, problem), annotations));
            }
            return result;
        }

        /// <summary>The container records of a namespace, in id order; task paths are looked up under <paramref name="statePath"/>.</summary>
        public List<ContainerdContainer> Containers(string ns, string? statePath, Action<ImageToolsException> onError) =>
            _metadata.ReadOrReport(e => ReadContainers(ns, statePath, e), onError, new List<ContainerdContainer>());

        private List<ContainerdContainer> ReadContainers(string ns, string? statePath, Action<ImageToolsException> onError)
        {
            var result = new List<ContainerdContainer>();
            var containers = _metadata.Namespace(ns)?.GetBucket(ContainersKey);
            if (containers == null) return result;
            var problem = Problem(onError);
            foreach (var b in containers.EnumerateBuckets())
            {
                string? id = ContainerdEncoding.Name(b, problem);
                if (id == null) continue;
                var c = new ContainerdContainer(ns, id)
                {
                    Image = ContainerdEncoding.Text(b, ImageKey, problem),
                    Snapshotter = ContainerdEncoding.Text(b, SnapshotterKey, problem),
                    SnapshotKey = ContainerdEncoding.Text(b, SnapshotKeyKey, problem),
                    Labels = ContainerdEncoding.Pairs(b, ContainerdMetadata.Labels, problem),
                    CreatedAtValue = ContainerdEncoding.Time(b, ContainerdEncoding.CreatedAt, problem),
                    UpdatedAtValue = ContainerdEncoding.Time(b, ContainerdEncoding.UpdatedAt, problem),
                };
                var runtime = b.GetBucket(RuntimeKey);
                if (runtime != null)
                {
                    c.Runtime = ContainerdEncoding.Text(runtime, NameKey, problem);
                    var options = runtime.GetMemory(OptionsKey);
                    if (options != null && ProtobufAny.TryRead(options.Value, out var optionsType, out _)) c.RuntimeOptionsType = optionsType;
                }
                var spec = b.GetMemory(SpecKey);
                if (spec != null && ProtobufAny.TryRead(spec.Value, out var specType, out var specValue))
                {
                    c.SpecType = specType;
                    if (specValue.Length > 0 && specValue.Span[0] == (byte)'{') c.Spec = BoltBytes.ToText(specValue);
                }
                var extensions = b.GetBucket(ExtensionsKey);
                if (extensions != null)
                {
                    var names = new List<string>();
                    foreach (var p in extensions.EnumeratePairs())
                        if (ContainerdEncoding.Key(extensions, p, problem) is string key) names.Add(key);
                    c.Extensions = new ValueList(names.ToArray());
                }
                if (statePath != null && IsSafeName(ns) && IsSafeName(c.Id))
                {
                    string task = Path.Combine(statePath, ContainerdRoot.TaskPluginV2, ns, c.Id);
                    if (Directory.Exists(task))
                    {
                        c.TaskPath = task;
                        string rootfs = Path.Combine(task, "rootfs");
                        if (Directory.Exists(rootfs)) c.RootfsPath = rootfs;
                    }
                }
                result.Add(c);
            }
            return result;
        }

        /// <summary>The leases of a namespace, in id order.</summary>
        public List<ContainerdLease> Leases(string ns, Action<ImageToolsException> onError) =>
            _metadata.ReadOrReport(e => ReadLeases(ns, e), onError, new List<ContainerdLease>());

        private List<ContainerdLease> ReadLeases(string ns, Action<ImageToolsException> onError)
        {
            var result = new List<ContainerdLease>();
            var leases = _metadata.Namespace(ns)?.GetBucket(LeasesKey);
            if (leases == null) return result;
            var problem = Problem(onError);
            foreach (var b in leases.EnumerateBuckets())
            {
                string? id = ContainerdEncoding.Name(b, problem);
                if (id == null) continue;
                var lease = new ContainerdLease(ns, id)
                {
                    CreatedAtValue = ContainerdEncoding.Time(b, ContainerdEncoding.CreatedAt, problem),
                    Labels = ContainerdEncoding.Pairs(b, ContainerdMetadata.Labels, problem),
                };
                if (lease.Labels.TryGetValue(GcExpire, out var expire) &&
                    DateTimeOffset.TryParse(expire, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var at))
                    lease.ExpiresAtValue = at;
                lease.Content = new ValueList(Keys(b.GetBucket(ContentKey), problem));
                lease.Ingests = new ValueList(Keys(b.GetBucket(IngestsKey), problem));
                var snapshots = new List<string>();
                var sb = b.GetBucket(SnapshotsKey);
                if (sb != null)
                    foreach (var snapshotter in sb.EnumerateBuckets())
                    {
                        if (!(ContainerdEncoding.Name(snapshotter, problem) is string snapshotterName)) continue;
                        foreach (var p in snapshotter.EnumeratePairs())
                            if (ContainerdEncoding.Key(snapshotter, p, problem) is string key) snapshots.Add(snapshotterName + "/" + key);
                    }
                lease.Snapshots = new ValueList(snapshots.ToArray());
                result.Add(lease);
            }
            return result;
        }

        /// <summary>The namespace with its labels and record counts.</summary>
        /// <exception cref="ImageToolsException">MetadataCorrupt.</exception>
        public ContainerdNamespace Namespace(string ns, Action<ImageToolsException> onError) => _metadata.Read(e => ReadNamespace(ns, e), onError);

        private ContainerdNamespace ReadNamespace(string ns, Action<ImageToolsException> onError)
        {
            var bucket = _metadata.Namespace(ns);
            var result = new ContainerdNamespace(ns, _metadata.Root.RootPath) { Labels = ContainerdEncoding.Pairs(bucket, ContainerdMetadata.Labels, Problem(onError)) };
            if (bucket == null) return result;
            result.ImageCount = bucket.GetBucket(ImagesKey)?.CountBuckets() ?? 0;
            result.ContentCount = bucket.GetBucket(ContentKey)?.GetBucket(BoltBytes.Utf8("blob"))?.CountBuckets() ?? 0;
            result.ContainerCount = bucket.GetBucket(ContainersKey)?.CountBuckets() ?? 0;
            result.LeaseCount = bucket.GetBucket(LeasesKey)?.CountBuckets() ?? 0;
            int snapshots = 0;
            var s = bucket.GetBucket(SnapshotsKey);
            if (s != null) foreach (var snapshotter in s.EnumerateBuckets()) snapshots += snapshotter.CountBuckets();
            result.SnapshotCount = snapshots;
            return result;
        }

        private static string[] Keys(BoltBucket? bucket, Action<string> problem)
        {
            if (bucket == null) return Array.Empty<string>();
            var keys = new List<string>();
            var buckets = new List<string>();
            foreach (var e in bucket.Entries())
            {
                if (BoltBytes.TryToText(e.Key, out var key)) (e.IsBucket ? buckets : keys).Add(key);
                else problem($"a key of {bucket.Path} ({BoltBytes.Describe(e.Key)}) is not UTF-8 text; it is skipped");
            }
            keys.AddRange(buckets);
            return keys.ToArray();
        }

        /// <summary>A name that can be one path segment (no separators, not . or ..): record keys are never trusted as paths.</summary>
        internal static bool IsSafeName(string name) =>
            name.Length > 0 && name != "." && name != ".." && name.IndexOf('/') < 0 && name.IndexOf('\\') < 0 && name.IndexOf('\0') < 0;
    }
}
