# The mutation list of tests/Mutation/Invoke-MutationCheck.ps1: one-line wrong programs, each of which some test must
# catch. Find occurs exactly once in File. Tests are Pester files, all of which run: each entry is a path under the
# repository or a bare file name (found anywhere under tests/), or 'first|second' alternatives of which the first that exists is
# used (the tests-layout path first, the old name second). Unit is a dotnet test --filter, by class name (namespaces
# of the unit tests move with their folders), run before the Pester files.
@{
    Mutations = @(
        # --- names: the one -Name rule and the reference grammar ---
        @{ Id = 'names-exact-first'; Area = 'names'; File = 'src/ImageTools/Graph/ImageNameRule.cs'
           Find = 'if (exact.Count > 0) return (exact, !value.Contains("@"));'
           Replace = 'if (exact.Count > 1) return (exact, !value.Contains("@"));'
           Tests = @('tests/Images/Get-Image.NameRule.Tests.ps1|NameRule.Tests.ps1'); Unit = 'FullyQualifiedName~.ImageNameRuleTests.' }
        @{ Id = 'names-tag-not-compared'; Area = 'names'; File = 'src/ImageTools/Graph/ImageNameRule.cs'
           Find = 'if (wanted.Tag != null && have.Tag != wanted.Tag) return false;'
           Replace = 'if (wanted.Tag != null && have.Tag == null) return false;'
           Tests = @('tests/Images/Get-Image.NameRule.Tests.ps1|NameRule.Tests.ps1'); Unit = 'FullyQualifiedName~.ImageNameRuleTests.' }
        @{ Id = 'names-ambiguous-prefix'; Area = 'names'; File = 'src/ImageTools/Graph/ImageNameRule.cs'
           Find = 'if (distinct > 1)'
           Replace = 'if (distinct > 2)'
           Tests = @('tests/Images/Get-Image.NameRule.Tests.ps1|NameRule.Tests.ps1'); Unit = 'FullyQualifiedName~.ImageNameRuleTests.' }
        @{ Id = 'names-min-prefix'; Area = 'names'; File = 'src/ImageTools/Graph/ImageNameRule.cs'
           Find = 'public const int MinimumIdPrefix = 4;'
           Replace = 'public const int MinimumIdPrefix = 3;'
           Tests = @('tests/Images/Get-Image.NameRule.Tests.ps1|NameRule.Tests.ps1'); Unit = 'FullyQualifiedName~.ImageNameRuleTests.' }
        @{ Id = 'names-index-docker-io'; Area = 'names'; File = 'src/ImageTools/Oci/ImageReference.cs'
           Find = 'domain = first == "index.docker.io" ? DefaultDomain : first;'
           Replace = 'domain = first;'
           Tests = @('tests/Images/Get-Image.Names.Tests.ps1|Names.Tests.ps1'); Unit = 'FullyQualifiedName~.ImageReferenceTests.' }
        @{ Id = 'names-localhost-domain'; Area = 'names'; File = 'src/ImageTools/Oci/ImageReference.cs'
           Find = 'first.Contains(":") || first == "localhost" ||'
           Replace = 'first.Contains(":") ||'
           Tests = @('tests/Images/Get-Image.Names.Tests.ps1|Names.Tests.ps1'); Unit = 'FullyQualifiedName~.ImageReferenceTests.' }
        @{ Id = 'names-familiar-nested-library'; Area = 'names'; File = 'src/ImageTools/Oci/ImageReference.cs'
           Find = '&& Path.IndexOf(''/'', OfficialRepoPrefix.Length) < 0'
           Replace = ''
           Tests = @('tests/Images/Get-Image.Names.Tests.ps1|Names.Tests.ps1'); Unit = 'FullyQualifiedName~.ImageReferenceTests.' }

        # --- graph: platforms and the walk ---
        @{ Id = 'graph-platform-variant-ignored'; Area = 'graph'; File = 'src/ImageTools/Graph/PlatformRule.cs'
           Find = 'return w.Variant == null || h.Variant == w.Variant;'
           Replace = 'return true;'
           Tests = @('tests/Images/Get-ImageManifest.Platform.Tests.ps1|Platform.Tests.ps1'); Unit = 'FullyQualifiedName~.PlatformRuleTests.|FullyQualifiedName~.StoreGraphTests.' }
        @{ Id = 'graph-platform-os-ignored'; Area = 'graph'; File = 'src/ImageTools/Graph/PlatformRule.cs'
           Find = 'if (h.Os != w.Os || h.Architecture != w.Architecture) return false;'
           Replace = 'if (h.Architecture != w.Architecture) return false;'
           Tests = @('tests/Images/Get-ImageManifest.Platform.Tests.ps1|Platform.Tests.ps1'); Unit = 'FullyQualifiedName~.PlatformRuleTests.|FullyQualifiedName~.StoreGraphTests.' }
        @{ Id = 'graph-arm64-default-variant'; Area = 'graph'; File = 'src/ImageTools/Graph/PlatformRule.cs'
           Find = 'variant switch { null => "v8", "8" => "v8"'
           Replace = 'variant switch { null => null, "8" => "v8"'
           Tests = @('tests/Images/Get-ImageManifest.Platform.Tests.ps1|Platform.Tests.ps1'); Unit = 'FullyQualifiedName~.PlatformRuleTests.|FullyQualifiedName~.StoreGraphTests.' }
        @{ Id = 'graph-index-dag-not-expanded'; Area = 'graph'; File = 'src/ImageTools/Graph/StoreGraph.cs'
           Find = 'if (!_expanded.Add(d.Digest)) return;'
           Replace = 'if (_expanded.Add(d.Digest)) return;'
           Tests = @('tests/Images/Get-ImageManifest.Tests.ps1|GetImageManifest.Tests.ps1'); Unit = 'FullyQualifiedName~.PlatformRuleTests.|FullyQualifiedName~.StoreGraphTests.' }

        # --- digests ---
        @{ Id = 'digest-blob-not-compared'; Area = 'digests'; File = 'src/ImageTools/Content/VerifyingStream.cs'
           Find = 'if (actual != _expected)'
           Replace = 'if (actual == null)'
           Tests = @('tests/Images/Test-ImageBlob.Tests.ps1|TestImageBlob.Tests.ps1'); Unit = 'FullyQualifiedName~.VerifyingStreamTests.' }
        @{ Id = 'digest-short-blob-size'; Area = 'digests'; File = 'src/ImageTools/Content/VerifyingStream.cs'
           Find = 'if (_expectedSize >= 0 && _count != _expectedSize) throw SizeMismatch();'
           Replace = 'if (_expectedSize >= 0 && _count > _expectedSize) throw SizeMismatch();'
           Tests = @('tests/Images/Test-ImageBlob.Tests.ps1|TestImageBlob.Tests.ps1'); Unit = 'FullyQualifiedName~.VerifyingStreamTests.' }
        @{ Id = 'digest-chainid-order'; Area = 'digests'; File = 'src/ImageTools/Content/ChainId.cs'
           Find = 'DigestAlgorithms.Sha256Of(previous + " " + diffId)'
           Replace = 'DigestAlgorithms.Sha256Of(diffId + " " + previous)'
           Tests = @('tests/Docker/Get-Image.DockerRoot.Tests.ps1|DockerRoot.Tests.ps1'); Unit = 'FullyQualifiedName~.ChainIdTests.' }
        @{ Id = 'digest-sha256-length'; Area = 'digests'; File = 'src/ImageTools/Oci/Digest.cs'
           Find = 'if (encoded.Length != 64)'
           Replace = 'if (encoded.Length < 64)'
           Tests = @('tests/Images/Get-ContentDigest.Tests.ps1|GetContentDigest.Tests.ps1'); Unit = 'FullyQualifiedName~.DigestTests.' }
        @{ Id = 'digest-diffid-not-compared'; Area = 'digests'; File = 'src/ImageTools/Export/Unpack/DiffIdCheckingStream.cs'
           Find = 'if (actual != _expected)'
           Replace = 'if (actual == null)'
           Tests = @('tests/Hostile/Writers.Tests.ps1') }
        @{ Id = 'digest-docker-config-unchecked'; Area = 'digests'; File = 'src/ImageTools/Stores/Docker/DockerRoot.cs'
           Find = 'if (actual != id)'
           Replace = 'if (actual == null)'
           Tests = @('tests/Docker/Get-DockerImage.ConfigDigest.Tests.ps1') }

        # --- tar and whiteouts ---
        @{ Id = 'tar-ustar-prefix-dropped'; Area = 'tar'; File = 'src/ImageTools/Content/TarHeader.cs'
           Find = 'if (prefix.Length > 0) h.Name = prefix + "/" + h.Name;'
           Replace = 'if (prefix.Length > 100) h.Name = prefix + "/" + h.Name;'
           Tests = @('tests/Layers/Get-ImageLayerEntry.Tests.ps1|GetImageLayerEntry.Tests.ps1'); Unit = 'FullyQualifiedName~.TarReaderTests.' }
        @{ Id = 'tar-checksum-skipped'; Area = 'tar'; File = 'src/ImageTools/Content/TarHeader.cs'
           Find = 'if (stored != unsigned && stored != SignedChecksum(block))'
           Replace = 'if (stored < 0 && stored != SignedChecksum(block))'
           Tests = @('tests/Layers/Get-ImageLayerEntry.Tests.ps1|GetImageLayerEntry.Tests.ps1'); Unit = 'FullyQualifiedName~.TarReaderTests.' }
        @{ Id = 'tar-dotdot-allowed'; Area = 'tar'; File = 'src/ImageTools/Content/EntryPath.cs'
           Find = 'if (part == "..") { reason = "it contains a ''..'' component"; return null; }'
           Replace = 'if (part == "..") { continue; }'
           Tests = @('tests/Layers/Expand-Image.Tests.ps1|ExpandImage.Tests.ps1') }
        @{ Id = 'whiteout-same-layer'; Area = 'whiteouts'; File = 'src/ImageTools/Export/Unpack/RootfsTree.cs'
           Find = 'out var victim) && victim.Layer < layer)'
           Replace = 'out var victim) && victim.Layer <= layer)'
           Tests = @('tests/Layers/Get-ImageFileSystem.Tests.ps1|GetImageFileSystem.Tests.ps1'); Unit = 'FullyQualifiedName~.RootfsTreeTests.' }
        @{ Id = 'whiteout-opaque-ignored'; Area = 'whiteouts'; File = 'src/ImageTools/Export/Unpack/RootfsTree.cs'
           Find = 'if (folder != null) Prune(folder, layer, change);'
           Replace = 'if (folder == null) Prune(folder!, layer, change);'
           Tests = @('tests/Layers/Get-ImageFileSystem.Tests.ps1|GetImageFileSystem.Tests.ps1'); Unit = 'FullyQualifiedName~.RootfsTreeTests.' }
        @{ Id = 'whiteout-hidden-path-loses-folder'; Area = 'whiteouts'; File = 'src/ImageTools/Content/Whiteout.cs'
           Find = 'return dir.Length == 0 ? name : dir + "/" + name;'
           Replace = 'return name;'
           Tests = @('tests/Layers/Get-ImageFileSystem.Tests.ps1|GetImageFileSystem.Tests.ps1'); Unit = 'FullyQualifiedName~.WhiteoutTests.' }
        @{ Id = 'whiteout-prefix-case'; Area = 'whiteouts'; File = 'src/ImageTools/Content/Whiteout.cs'
           Find = 'return name.StartsWith(Prefix, System.StringComparison.Ordinal) && name != OpaqueMarker;'
           Replace = 'return name.StartsWith(Prefix, System.StringComparison.OrdinalIgnoreCase) && name != OpaqueMarker;'
           Tests = @('tests/Layers/Get-ImageFileSystem.Tests.ps1|GetImageFileSystem.Tests.ps1'); Unit = 'FullyQualifiedName~.WhiteoutTests.|FullyQualifiedName~.RootfsTreeTests.' }

        # --- bolt ---
        @{ Id = 'bolt-older-meta'; Area = 'bolt'; File = 'src/ImageTools/Bolt/BoltMetaSelector.cs'
           Find = 'chosen = meta1.TxId > meta0.TxId ? meta1 : meta0;'
           Replace = 'chosen = meta1.TxId < meta0.TxId ? meta1 : meta0;'
           Unit = 'FullyQualifiedName~ImageTools.UnitTests.Bolt.' }
        @{ Id = 'bolt-branch-seek-off-by-one'; Area = 'bolt'; File = 'src/ImageTools/Bolt/BoltTree.cs'
           Find = 'if (c <= 0) { index = mid; lo = mid + 1; }'
           Replace = 'if (c < 0) { index = mid; lo = mid + 1; }'
           Unit = 'FullyQualifiedName~ImageTools.UnitTests.Bolt.' }
        @{ Id = 'bolt-meta-checksum-skipped'; Area = 'bolt'; File = 'src/ImageTools/Bolt/BoltMeta.cs'
           Find = 'else if (Fnv1a64(m.Slice(0, ChecksumOffset)) != meta.Checksum)'
           Replace = 'else if (Fnv1a64(m.Slice(0, ChecksumOffset)) != meta.Checksum && meta.Checksum == 0)'
           Unit = 'FullyQualifiedName~ImageTools.UnitTests.Bolt.' }
        @{ Id = 'bolt-uvarint-shift'; Area = 'bolt'; File = 'src/ImageTools/Bolt/GoEncoding.cs'
           Find = 'shift += 7;'
           Replace = 'shift += 8;'
           Tests = @('tests/Containerd/Get-ContainerdContent.Tests.ps1|Containerd.Tests.ps1'); Unit = 'FullyQualifiedName~ImageTools.UnitTests.Bolt.' }

        # --- registry marking ---
        @{ Id = 'registry-layers-not-marked'; Area = 'registry'; File = 'src/ImageTools/Stores/Registry/RegistryGarbageCollector.cs'
           Find = 'foreach (var b in m.Blobs) stack.Push((b, false));'
           Replace = 'foreach (var b in m.Blobs.Skip(1)) stack.Push((b, false));'
           Tests = @('tests/Registry/Find-RegistryGarbage.Tests.ps1') }
        @{ Id = 'registry-index-children-not-followed'; Area = 'registry'; File = 'src/ImageTools/Stores/Registry/RegistryGarbageCollector.cs'
           Find = 'foreach (var c in m.Children) stack.Push((c.Digest, RegistryManifest.IsManifestLike(c)));'
           Replace = 'foreach (var c in m.Children) stack.Push((c.Digest, false));'
           Tests = @('tests/Registry/Find-RegistryGarbage.Tests.ps1') }
        @{ Id = 'registry-tagged-dangling'; Area = 'registry'; File = 'src/ImageTools/Stores/Registry/RegistryGarbageCollector.cs'
           Find = 'if (!hasData && !tagged.Contains(revision.Digest))'
           Replace = 'if (!hasData)'
           Tests = @('tests/Registry/Find-RegistryGarbage.Tests.ps1', 'tests/Hostile/RegistryGarbage.Tests.ps1') }
        @{ Id = 'registry-upload-age-flipped'; Area = 'registry'; File = 'src/ImageTools/Stores/Registry/RegistryGarbageCollector.cs'
           Find = 'if (age < options.UploadAge) continue;'
           Replace = 'if (age > options.UploadAge) continue;'
           Tests = @('tests/Registry/Find-RegistryGarbage.Tests.ps1') }

        # --- Docker mapping ---
        @{ Id = 'docker-diff-subfolder'; Area = 'docker'; File = 'src/ImageTools/Stores/Docker/DockerRoot.cs'
           Find = 'return directory != null && Driver == "overlay2" ? Path.Combine(directory, "diff") : directory;'
           Replace = 'return directory;'
           Tests = @('tests/Docker/Get-Image.DockerRoot.Tests.ps1|DockerRoot.Tests.ps1') }
        @{ Id = 'docker-tags-digests-swapped'; Area = 'docker'; File = 'src/ImageTools/Stores/Docker/DockerRoot.cs'
           Find = 'var map = r.Name.Contains("@") ? digests : tags;'
           Replace = 'var map = r.Name.Contains("@") ? tags : digests;'
           Tests = @('tests/Docker/Get-Image.DockerRoot.Tests.ps1|DockerRoot.Tests.ps1', 'tests/Docker/Get-DockerImage.Tests.ps1|DockerImage.Tests.ps1') }
        @{ Id = 'docker-cache-id-as-mount-id'; Area = 'docker'; File = 'src/ImageTools/Stores/Docker/DockerRootContainers.cs'
           Find = 'c.MountId = ReadDirectoryId(Path.Combine(dir, "mount-id"), "container mount-id");'
           Replace = 'c.MountId = ReadDirectoryId(Path.Combine(dir, "init-id"), "container mount-id");'
           Tests = @('tests/Docker/Get-DockerContainer.Tests.ps1|DockerContainer.Tests.ps1', 'tests/Docker/Get-ContainerChange.Tests.ps1|ContainerChange.Tests.ps1') }

        # --- save naming ---
        @{ Id = 'save-repositories-first-layer'; Area = 'save'; File = 'src/ImageTools/Export/DockerArchiveMetadata.cs'
           Find = 'var top = image.Layers.LastOrDefault() ?? image.Config;'
           Replace = 'var top = image.Layers.FirstOrDefault() ?? image.Config;'
           Tests = @('tests/Save/Save-Image.Tests.ps1|SaveImage.Tests.ps1') }
        @{ Id = 'save-repotags-full-name'; Area = 'save'; File = 'src/ImageTools/Export/DockerArchiveMetadata.cs'
           Find = 'foreach (var name in image.Names) w.WriteStringValue(name.FamiliarName);'
           Replace = 'foreach (var name in image.Names) w.WriteStringValue(name.ToString());'
           Tests = @('tests/Save/Save-Image.Tests.ps1|SaveImage.Tests.ps1') }
        @{ Id = 'save-repositories-full-repository'; Area = 'save'; File = 'src/ImageTools/Export/DockerArchiveMetadata.cs'
           Find = 'if (!repos.TryGetValue(name.FamiliarRepository, out var tags)) repos[name.FamiliarRepository] = tags'
           Replace = 'if (!repos.TryGetValue(name.Repository, out var tags)) repos[name.Repository] = tags'
           Tests = @('tests/Save/Save-Image.Tests.ps1|SaveImage.Tests.ps1') }
        @{ Id = 'save-name-conflict-missed'; Area = 'save'; File = 'src/ImageTools/Export/SaveEntries.cs'
           Find = 'if (holders.Count < 2) continue;'
           Replace = 'if (holders.Count < 3) continue;'
           Tests = @('tests/Images/Get-Image.NameRule.Tests.ps1|NameRule.Tests.ps1') }
        @{ Id = 'save-ref-name-docker-full'; Area = 'save'; File = 'src/ImageTools/Export/OciIndexFile.cs'
           Find = 'format == SaveFormat.DockerArchive ? (name.Tag ?? name.ToString()) : name.FamiliarName'
           Replace = 'format == SaveFormat.DockerArchive ? name.FamiliarName : name.FamiliarName'
           Tests = @('tests/Save/Save-Image.IndexAnnotations.Tests.ps1') }

        # --- compression ---
        @{ Id = 'compression-zstd-magic'; Area = 'compression'; File = 'src/ImageTools/Content/CompressionDetector.cs'
           Find = 'header[2] == 0x2F && header[3] == 0xFD'
           Replace = 'header[2] == 0x2F && header[3] == 0xFE'
           Tests = @('tests/Images/Get-ImageLayer.Tests.ps1|GetImageLayer.Tests.ps1'); Unit = 'FullyQualifiedName~.DecompressionTests.' }
        @{ Id = 'compression-gzip-mediatype-swapped'; Area = 'compression'; File = 'src/ImageTools/Export/LayerTranscoder.cs'
           Find = 'Compression.Gzip => MediaTypes.OciLayerGzip,'
           Replace = 'Compression.Gzip => MediaTypes.OciLayerZstd,'
           Tests = @('tests/Save/Save-Image.Tests.ps1|SaveImage.Tests.ps1') }
        @{ Id = 'compression-docker-layer-claims-gzip'; Area = 'compression'; File = 'src/ImageTools/Stores/Docker/DockerRootStore.cs'
           Find = 'layers.Add(new Descriptor(MediaTypes.OciLayer, diffId, TarLength(diffId, layer)));'
           Replace = 'layers.Add(new Descriptor(MediaTypes.OciLayerGzip, diffId, TarLength(diffId, layer)));'
           Tests = @('tests/Docker/Get-Image.DockerRoot.Tests.ps1|DockerRoot.Tests.ps1') }
        @{ Id = 'compression-save-zstd-target'; Area = 'compression'; File = 'src/ImageTools/Export/LayerTranscoder.cs'
           Find = 'LayerCompression.Zstd => Compression.Zstd,'
           Replace = 'LayerCompression.Zstd => Compression.Gzip,'
           Tests = @('tests/Save/Save-Image.Tests.ps1|SaveImage.Tests.ps1') }
    )
}
