using System;
using System.IO;
using System.Threading;
using ImageTools.Content;
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
                Digest = blob.Digest,
                Kind = blob.Kind,
                ExpectedSize = blob.ExpectedSize,
                Location = store.DescribeBlob(blob.Digest),
                Images = blob.Images.ToArray(),
                DiffId = checkDiffId ? blob.DiffId : null,
            };
            if (!store.HasBlob(blob.Digest))
            {
                result.Status = BlobStatus.Missing;
                result.ErrorId = ImageTools.ErrorId.BlobNotFound;
                result.Message = $"Blob {blob.Digest} ({blob.Kind}) is missing from {store.Location}.";
                return result;
            }
            try
            {
                using var raw = store.OpenBlob(blob.Digest);
                using var verifying = new VerifyingStream(raw, blob.Digest, blob.ExpectedSize, result.Location);
                if (checkDiffId && blob.DiffId != null)
                {
                    using var plain = Decompression.Open(verifying, result.Location, out _);
                    var diff = StreamDigester.Digest(plain, blob.DiffId.Algorithm, cancel, progress == null ? null : _ => progress(verifying.BytesRead));
                    verifying.ReadToEndAndVerify();
                    result.ActualSize = verifying.BytesRead;
                    result.ActualDiffId = diff.Digest;
                    if (diff.Digest != blob.DiffId)
                    {
                        result.Status = BlobStatus.DiffIdMismatch;
                        result.ErrorId = ImageTools.ErrorId.DiffIdMismatch;
                        result.Message = $"Layer {blob.Digest} decompresses to content with digest {diff.Digest}, but the config's DiffID is {blob.DiffId}.";
                        return result;
                    }
                }
                else
                {
                    var digest = StreamDigester.Digest(verifying, blob.Digest.Algorithm, cancel, progress);
                    result.ActualSize = digest.Size;
                }
                result.ActualDigest = blob.Digest;
                result.Status = BlobStatus.Valid;
            }
            catch (BlobVerificationException e)
            {
                result.Status = e.ErrorId == ErrorId.SizeMismatch ? BlobStatus.SizeMismatch : BlobStatus.DigestMismatch;
                result.ActualDigest = e.Actual;
                result.ActualSize = e.ActualSize;
                result.Message = e.Message;
                result.ErrorId = e.ErrorId;
            }
            catch (ImageToolsException e)
            {
                result.Status = BlobStatus.Unreadable;
                result.Message = e.Message;
                result.ErrorId = e.ErrorId;
            }
            catch (IOException e)
            {
                result.Status = BlobStatus.Unreadable;
                result.ErrorId = ImageTools.ErrorId.StoreUnreadable;
                result.Message = $"Reading blob {blob.Digest} at {result.Location} failed: {e.Message}";
            }
            return result;
        }
    }
}
