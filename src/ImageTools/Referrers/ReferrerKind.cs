namespace ImageTools.Referrers
{
    /// <summary>What an artifact attached to an image is, from its media and artifact types (<see cref="ReferrerClassifier"/>).</summary>
    public enum ReferrerKind
    {
        Other,
        Signature,
        Sbom,
        Attestation,
    }

    /// <summary>How a referrer was found; the order is the order the issue lists the mechanisms in.</summary>
    public enum ReferrerFoundBy
    {
        /// <summary>The OCI 1.1 referrers API of a registry (GET /v2/&lt;name&gt;/referrers/&lt;digest&gt;).</summary>
        ReferrersApi,
        /// <summary>The referrers tag schema: an index tagged <c>sha256-&lt;hex&gt;</c> listing the referrers.</summary>
        FallbackTag,
        /// <summary>cosign's tags <c>sha256-&lt;hex&gt;.sig</c>, <c>.att</c>, <c>.sbom</c>.</summary>
        CosignTag,
        /// <summary>A manifest in the store whose <c>subject</c> is the image.</summary>
        Subject,
        /// <summary>A BuildKit attestation manifest inside the image's index (<c>vnd.docker.reference.type: attestation-manifest</c>).</summary>
        BuildKitAttestation,
    }
}
