#!/usr/bin/env python3
"""Writes the artifacts of the referrers fixture into an OCI layout, from their published media types.

  write-artifacts.py LAYOUT SUBJECT_TAG BUILDKIT_SOURCE_TAG OUT_JSON

LAYOUT already holds SUBJECT_TAG (a single-platform image) and BUILDKIT_SOURCE_TAG (a multi-platform index), both
copied there by skopeo. Added, each as blobs and index.json entries (compact JSON, as umoci/skopeo write it):
  - a cosign signature (cosign 2.x "simple signing" layout), tagged sha256-<hex>.sig (cosign's tag);
  - a Notation signature (artifactType application/vnd.cncf.notary.signature, JWS envelope), with subject;
  - an SPDX 2.3 SBOM (artifactType application/spdx+json), with subject;
  - an in-toto SLSA provenance statement (artifactType application/vnd.in-toto+json), with subject;
  - the referrers fallback index tagged sha256-<hex> listing those three (distribution-spec "referrers tag schema");
  - buildkit:1.0, the multi-platform index plus one BuildKit attestation manifest per platform (SPDX and SLSA
    in-toto layers, platform unknown/unknown, vnd.docker.reference.type/digest annotations), as BuildKit writes it.
OUT_JSON receives what was made (tags, digests, kinds): the fixture's own record, not the module's answer.
"""
import hashlib, json, os, sys

layout, subject_tag, buildkit_source_tag, out_json = sys.argv[1:5]
CREATED = "2023-11-15T00:00:00Z"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
EMPTY = "application/vnd.oci.empty.v1+json"


def compact(obj):
    return json.dumps(obj, separators=(",", ":"), sort_keys=False).encode()


def put(data):
    digest = hashlib.sha256(data).hexdigest()
    path = os.path.join(layout, "blobs", "sha256", digest)
    with open(path, "wb") as f:
        f.write(data)
    return "sha256:" + digest, len(data)


def desc(media_type, data, **extra):
    digest, size = put(data)
    d = {"mediaType": media_type, "digest": digest, "size": size}
    d.update(extra)
    return d


with open(os.path.join(layout, "index.json")) as f:
    index = json.load(f)


def by_tag(tag):
    return next(m for m in index["manifests"] if m.get("annotations", {}).get("org.opencontainers.image.ref.name") == tag)


def read_blob(digest):
    with open(os.path.join(layout, "blobs", *digest.split(":")), "rb") as f:
        return f.read()


subject = by_tag(subject_tag)
subject_ref = {"mediaType": subject["mediaType"], "digest": subject["digest"], "size": subject["size"]}
hex_ = subject["digest"].split(":")[1]
made = {"subject": subject["digest"], "subjectTag": subject_tag, "referrers": []}
empty = desc(EMPTY, b"{}")


def record(tag, kind, found_by, manifest_desc, artifact_type, layers):
    made["referrers"].append({"tag": tag, "kind": kind, "foundBy": found_by, "digest": manifest_desc["digest"],
                              "size": manifest_desc["size"], "artifactType": artifact_type,
                              "blobs": [l["digest"] for l in layers]})


# cosign: config is an image config whose diff_ids are the layers; the layer is the simple-signing payload,
# annotated with the (here made-up) base64 signature, as `cosign sign` pushes it to sha256-<hex>.sig.
payload = compact({"critical": {"identity": {"docker-reference": "docker.io/library/base"},
                                "image": {"docker-manifest-digest": subject["digest"]},
                                "type": "cosign container image signature"}, "optional": None})
sig_layer = desc("application/vnd.dev.cosign.simplesigning.v1+json", payload,
                 annotations={"dev.cosignproject.cosign/signature": "MEUCIQDfixtureSignatureNotVerifiable0000000000000000000AiAfixture0000000000000000000000000000000000000000="})
cosign_config = desc(OCI_CONFIG, compact({"architecture": "", "created": "0001-01-01T00:00:00Z",
                                          "history": [{"created": "0001-01-01T00:00:00Z"}], "os": "",
                                          "rootfs": {"type": "layers", "diff_ids": [sig_layer["digest"]]}, "config": {}}))
cosign_manifest = desc(OCI_MANIFEST, compact({"schemaVersion": 2, "mediaType": OCI_MANIFEST, "config": cosign_config, "layers": [sig_layer]}))
cosign_tag = "sha256-%s.sig" % hex_
record(cosign_tag, "Signature", "CosignTag", cosign_manifest, OCI_CONFIG, [sig_layer])


def artifact(artifact_type, layer_type, body, layer_annotations=None):
    layer = desc(layer_type, body, **({"annotations": layer_annotations} if layer_annotations else {}))
    manifest = {"schemaVersion": 2, "mediaType": OCI_MANIFEST, "artifactType": artifact_type, "config": empty,
                "layers": [layer], "subject": subject_ref, "annotations": {"org.opencontainers.image.created": CREATED}}
    return desc(OCI_MANIFEST, compact(manifest)), layer, manifest["annotations"]


# Notation: a JWS envelope (application/jose+json) with the x509 chain thumbprint annotation notation adds.
notation, n_layer, n_ann = artifact("application/vnd.cncf.notary.signature", "application/jose+json",
                                    compact({"payload": "eyJ0YXJnZXRBcnRpZmFjdCI6e319", "protected": "eyJhbGciOiJQUzI1NiJ9",
                                             "header": {"x5c": []}, "signature": "Zml4dHVyZQ"}))
record(None, "Signature", "Subject", notation, "application/vnd.cncf.notary.signature", [n_layer])

spdx = compact({"spdxVersion": "SPDX-2.3", "dataLicense": "CC0-1.0", "SPDXID": "SPDXRef-DOCUMENT", "name": "base:1.0",
                "documentNamespace": "https://example.com/imagetools/base-1.0", "creationInfo": {"created": CREATED, "creators": ["Tool: imagetools-fixtures"]},
                "packages": [{"SPDXID": "SPDXRef-Package-hello", "name": "hello", "versionInfo": "1.0", "downloadLocation": "NOASSERTION"}]})
sbom, s_layer, _ = artifact("application/spdx+json", "application/spdx+json", spdx)
record(None, "Sbom", "Subject", sbom, "application/spdx+json", [s_layer])

statement = compact({"_type": "https://in-toto.io/Statement/v1", "subject": [{"name": "docker.io/library/base", "digest": {"sha256": hex_}}],
                     "predicateType": "https://slsa.dev/provenance/v1",
                     "predicate": {"buildDefinition": {"buildType": "https://example.com/imagetools/fixture", "externalParameters": {}},
                                   "runDetails": {"builder": {"id": "https://example.com/imagetools"}}}})
provenance, p_layer, _ = artifact("application/vnd.in-toto+json", "application/vnd.in-toto+json", statement,
                                  {"in-toto.io/predicate-type": "https://slsa.dev/provenance/v1"})
record(None, "Attestation", "Subject", provenance, "application/vnd.in-toto+json", [p_layer])

# The fallback index: every referrer with subject, as a registry without the referrers API would be given it
# (descriptors carry artifactType and the manifests' annotations).
def listed(d, artifact_type):
    return dict(d, artifactType=artifact_type, annotations={"org.opencontainers.image.created": CREATED})


fallback = desc(OCI_INDEX, compact({"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": [
    listed(notation, "application/vnd.cncf.notary.signature"), listed(sbom, "application/spdx+json"),
    listed(provenance, "application/vnd.in-toto+json")]}))
fallback_tag = "sha256-%s" % hex_

# BuildKit: the source index's platform manifests, each followed by its attestation manifest.
source = by_tag(buildkit_source_tag)
source_index = json.loads(read_blob(source["digest"]))
entries, attestations = [], []
for m in source_index["manifests"]:
    entries.append(m)
    platform = "%s/%s" % (m["platform"]["os"], m["platform"]["architecture"])
    sbom_stmt = compact({"_type": "https://in-toto.io/Statement/v0.1", "predicateType": "https://spdx.dev/Document",
                         "subject": [{"name": "pkg:docker/buildkit@1.0?platform=" + platform.replace("/", "%2F"), "digest": {"sha256": m["digest"].split(":")[1]}}],
                         "predicate": {"spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT", "name": "sbom"}})
    prov_stmt = compact({"_type": "https://in-toto.io/Statement/v0.1", "predicateType": "https://slsa.dev/provenance/v0.2",
                         "subject": [{"name": "pkg:docker/buildkit@1.0?platform=" + platform.replace("/", "%2F"), "digest": {"sha256": m["digest"].split(":")[1]}}],
                         "predicate": {"builder": {"id": ""}, "buildType": "https://mobyproject.org/buildkit@v1"}})
    layers = [desc("application/vnd.in-toto+json", sbom_stmt, annotations={"in-toto.io/predicate-type": "https://spdx.dev/Document"}),
              desc("application/vnd.in-toto+json", prov_stmt, annotations={"in-toto.io/predicate-type": "https://slsa.dev/provenance/v0.2"})]
    config = desc(OCI_CONFIG, compact({"architecture": "unknown", "os": "unknown", "config": {},
                                       "rootfs": {"type": "layers", "diff_ids": [l["digest"] for l in layers]}}))
    att = desc(OCI_MANIFEST, compact({"schemaVersion": 2, "mediaType": OCI_MANIFEST, "config": config, "layers": layers}))
    att_entry = dict(att, annotations={"vnd.docker.reference.digest": m["digest"], "vnd.docker.reference.type": "attestation-manifest"},
                     platform={"architecture": "unknown", "os": "unknown"})
    attestations.append((att_entry, m["digest"], layers))
for a, _, _ in attestations:
    entries.append(a)
buildkit = desc(OCI_INDEX, compact({"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": entries}))
made["buildkit"] = {"tag": "buildkit:1.0", "digest": buildkit["digest"],
                    "attestations": [{"digest": a["digest"], "size": a["size"], "subject": s, "kind": "Attestation",
                                      "blobs": [l["digest"] for l in layers]} for a, s, layers in attestations],
                    "platforms": [e["digest"] for e in source_index["manifests"]]}
made["fallbackTag"] = fallback_tag
made["fallbackIndex"] = fallback["digest"]
made["cosignTag"] = cosign_tag


def tagged(d, tag):
    return dict(d, annotations={"org.opencontainers.image.ref.name": tag})


index["manifests"] = [m for m in index["manifests"] if m.get("annotations", {}).get("org.opencontainers.image.ref.name") != buildkit_source_tag]
index["manifests"] += [tagged(cosign_manifest, cosign_tag), notation, sbom, provenance, tagged(fallback, fallback_tag), tagged(buildkit, "buildkit:1.0")]
with open(os.path.join(layout, "index.json"), "wb") as f:
    f.write(compact(index))
with open(out_json, "w") as f:
    json.dump(made, f, indent=2)
    f.write("\n")
