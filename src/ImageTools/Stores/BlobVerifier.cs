using System;
using System.IO;
using System.Threading;
using ImageTools.Content;
using ImageTools.Content.Archives;
using ImageTools.Oci;

namespace ImageTools.Stores
{
    /// <summary>Verifies one blob, streaming: its digest and size, and for a layer with a DiffID, its decompressed digest in the same pass.</summary>
    public static class BlobVerifier
    {
        public static BlobCheckResult Verify(PlannedBlob blob, bool checkDiffId, CancellationToken cancel, Action<long>? progress = null)
        {
            var store = blob.Store;
            var result = new BlobCheckResult
            {
                Digest = blob.Digest.ToOutput(),
                KindValue = blob.Kind,
                ExpectedSize = blob.ExpectedSize,
                Location = store.DescribeBlob(blob.Digest),
                Images = new ValueList(blob.Images.ToArray()),
                DiffId = checkDiffId ? blob.DiffId.ToOutputOrNull() : null,
            };
            if (!blob.Digest.IsSupported)
                return Fail(result, BlobStatus.Unreadable, ImageTools.ErrorId.UnsupportedAlgorithm,
                    $"Blob {blob.Digest} ({blob.Kind}) uses digest algorithm '{blob.Digest.Algorithm}', which is not supported (sha256 and sha512 are); it cannot be verified.");
            if (!store.HasBlob(blob.Digest))
            {
                result.StatusValue = BlobStatus.Missing;
                result.ErrorIdValue = ImageTools.ErrorId.BlobNotFound;
                result.Message = $"Blob {blob.Digest} ({blob.Kind}) is missing from {store.Location}.";
                return result;
            }
            if (FromListing(store, blob, checkDiffId) is ListedEntryDigest listed)
            {
                progress?.Invoke(listed.Blob.Size);
                if (Mismatch(result, blob, listed.Blob)) return result;
                if (checkDiffId && blob.DiffId != null)
                {
                    result.ActualDiffId = listed.Content.ToOutputOrNull();
                    if (listed.Content != blob.DiffId) return DiffIdMismatch(result, blob);
                }
                result.StatusValue = BlobStatus.Valid;
                return result;
            }
            try
            {
                using var raw = store.OpenBlob(blob.Digest);
                if (checkDiffId && blob.DiffId != null)
                {
                    // Three threads: this one reads and inflates, one hashes the blob, one hashes the DiffID.
                    using var verifying = new VerifyingStream(raw, blob.Digest, blob.ExpectedSize, result.Location, hashInBackground: true);
                    using var plain = Decompression.Open(verifying, result.Location, out _);
                    var diff = StreamDigester.Digest(plain, blob.DiffId.Algorithm, cancel, progress == null ? null : _ => progress(verifying.BytesRead));
                    verifying.ReadToEndAndVerify();
                    result.ActualSize = verifying.BytesRead;
                    result.ActualDiffId = diff.Digest.ToOutput();
                    if (diff.Digest != blob.DiffId) return DiffIdMismatch(result, blob);
                }
                else
                {
                    // One hash pass: StreamDigester reads and hashes on two threads, and the result is compared here.
                    var digest = StreamDigester.Digest(raw, blob.Digest.Algorithm, cancel, progress);
                    if (Mismatch(result, blob, digest)) return result;
                }
                result.ActualDigest = blob.Digest.ToOutput();
                result.StatusValue = BlobStatus.Valid;
            }
            catch (BlobVerificationException e)
            {
                result.StatusValue = e.ErrorId == ErrorId.SizeMismatch ? BlobStatus.SizeMismatch : BlobStatus.DigestMismatch;
                result.ActualDigest = e.Actual.ToOutputOrNull();
                result.ActualSize = e.ActualSize;
                result.Message = e.Message;
                result.ErrorIdValue = e.ErrorId;
            }
            catch (ImageToolsException e)
            {
                result.StatusValue = BlobStatus.Unreadable;
                result.Message = e.Message;
                result.ErrorIdValue = e.ErrorId;
            }
            catch (IOException e)
            {
                result.StatusValue = BlobStatus.Unreadable;
                result.ErrorIdValue = ImageTools.ErrorId.StoreUnreadable;
                result.Message = $"Reading blob {blob.Digest} at {result.Location} failed: {e.Message}";
            }
            return result;
        }

        /// <summary>
        /// The digests a compressed archive's listing pass computed for this blob, when they answer what is asked
        /// (the same algorithm; a content digest when the DiffID is checked): that pass was the one read of its bytes.
        /// </summary>
        private static ListedEntryDigest? FromListing(IImageStore store, PlannedBlob blob, bool checkDiffId)
        {
            var listed = (store as ArchiveStore)?.ListedDigest(blob.Digest);
            if (listed == null || listed.Blob.Digest.Algorithm != blob.Digest.Algorithm) return null;
            if (checkDiffId && blob.DiffId != null && (listed.Content == null || listed.Content.Algorithm != blob.DiffId.Algorithm)) return null;
            return listed;
        }

        /// <summary>Records what was read and fails the result when its size or digest is not the blob's.</summary>
        private static bool Mismatch(BlobCheckResult result, PlannedBlob blob, DigestResult digest)
        {
            result.ActualSize = digest.Size;
            result.ActualDigest = digest.Digest.ToOutput();
            if (blob.ExpectedSize >= 0 && digest.Size != blob.ExpectedSize)
            {
                Fail(result, BlobStatus.SizeMismatch, ImageTools.ErrorId.SizeMismatch,
                    $"Blob {blob.Digest} at {result.Location} has {digest.Size} bytes; its descriptor says {blob.ExpectedSize}.");
                return true;
            }
            if (digest.Digest != blob.Digest)
            {
                Fail(result, BlobStatus.DigestMismatch, ImageTools.ErrorId.DigestMismatch,
                    $"Blob {blob.Digest} at {result.Location} does not match its digest: its content hashes to {digest.Digest}.");
                return true;
            }
            return false;
        }

        private static BlobCheckResult DiffIdMismatch(BlobCheckResult result, PlannedBlob blob) =>
            Fail(result, BlobStatus.DiffIdMismatch, ImageTools.ErrorId.DiffIdMismatch,
                $"Layer {blob.Digest} decompresses to content with digest {result.ActualDiffId}, but the config's DiffID is {blob.DiffId}.");

        private static BlobCheckResult Fail(BlobCheckResult result, BlobStatus status, ErrorId id, string message)
        {
            result.StatusValue = status;
            result.ErrorIdValue = id;
            result.Message = message;
            return result;
        }
    }
}
