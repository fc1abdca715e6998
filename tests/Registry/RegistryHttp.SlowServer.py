#!/usr/bin/env python3
"""A slow read-only registry for the tests of parallel transfers (python3 only, no ImageTools code).

  make DIR LAYERS BYTES     writes an OCI layout of one image (tag 'app:1' in index.json's ref.name) with LAYERS
                            gzip layers (tarfile + gzip of random bytes) of about BYTES each
  serve DIR PORTFILE DELAY  serves it on 127.0.0.1 (a free port, written to PORTFILE) as the distribution API:
                            GET/HEAD /v2/, /v2/<repo>/manifests/<tag|digest>, /v2/<repo>/blobs/<digest>; each blob
                            body is sent in 8 pieces with DELAY/8 seconds between them, so that transfers overlap.
                            GET /stats answers {"max": most blob GETs at once, "gets": blob GETs}; a blob whose
                            digest is in DIR/corrupt is served with its last byte changed.
"""
import gzip, hashlib, io, json, os, random, sys, tarfile, threading, time
from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler


def digest_of(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def put_blob(root, data):
    d = digest_of(data)
    with open(os.path.join(root, "blobs", "sha256", d[7:]), "wb") as f:
        f.write(data)
    return d


def make(root, layers, size):
    os.makedirs(os.path.join(root, "blobs", "sha256"), exist_ok=True)
    rng = random.Random(12)
    layer_descs, diff_ids = [], []
    for i in range(layers):
        payload = bytes(rng.getrandbits(8) for _ in range(size))
        raw = io.BytesIO()
        with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as t:
            info = tarfile.TarInfo(f"file-{i}.bin")
            info.size, info.mtime, info.mode = len(payload), 0, 0o644
            t.addfile(info, io.BytesIO(payload))
        tar_bytes = raw.getvalue()
        diff_ids.append(digest_of(tar_bytes))
        gz = gzip.compress(tar_bytes, mtime=0)
        layer_descs.append({"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": put_blob(root, gz), "size": len(gz)})
    config = json.dumps({"architecture": "amd64", "os": "linux", "config": {},
                         "rootfs": {"type": "layers", "diff_ids": diff_ids}}).encode()
    manifest = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                           "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": put_blob(root, config), "size": len(config)},
                           "layers": layer_descs}).encode()
    index = {"schemaVersion": 2, "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": put_blob(root, manifest),
                                                "size": len(manifest), "annotations": {"org.opencontainers.image.ref.name": "1"}}]}
    with open(os.path.join(root, "index.json"), "w") as f:
        json.dump(index, f)
    with open(os.path.join(root, "oci-layout"), "w") as f:
        json.dump({"imageLayoutVersion": "1.0.0"}, f)


def serve(root, port_file, delay):
    lock = threading.Lock()
    stats = {"now": 0, "max": 0, "gets": 0}
    index = json.load(open(os.path.join(root, "index.json")))
    tags = {m["annotations"]["org.opencontainers.image.ref.name"]: m["digest"] for m in index["manifests"]}
    corrupt_file = os.path.join(root, "corrupt")

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def answer(self, status, body=b"", headers=None, slow=False):
            self.send_response(status)
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command == "HEAD":
                return
            if not slow:
                self.wfile.write(body)
                return
            step = max(1, (len(body) + 7) // 8)
            for at in range(0, len(body), step):
                self.wfile.write(body[at:at + step])
                self.wfile.flush()
                time.sleep(delay / 8)

        def do_HEAD(self):
            self.do_GET()

        def do_GET(self):
            parts = self.path.split("?")[0].split("/")
            if self.path == "/v2/":
                return self.answer(200, b"{}")
            if self.path == "/stats":
                with lock:
                    return self.answer(200, json.dumps({"max": stats["max"], "gets": stats["gets"]}).encode())
            if len(parts) < 5 or parts[1] != "v2":
                return self.answer(404)
            kind, ref = parts[-2], parts[-1]
            digest = tags.get(ref, ref)
            path = os.path.join(root, "blobs", "sha256", digest[7:]) if digest.startswith("sha256:") else ""
            if kind not in ("manifests", "blobs") or not os.path.isfile(path):
                return self.answer(404, b'{"errors":[{"code":"BLOB_UNKNOWN"}]}')
            data = open(path, "rb").read()
            headers = {"Docker-Content-Digest": digest}
            if kind == "manifests":
                headers["Content-Type"] = "application/vnd.oci.image.manifest.v1+json"
                return self.answer(200, data, headers)
            if os.path.exists(corrupt_file) and digest in open(corrupt_file).read():
                data = data[:-1] + bytes([data[-1] ^ 1])
            if self.command == "HEAD":
                return self.answer(200, data, headers)
            with lock:
                stats["now"] += 1
                stats["gets"] += 1
                stats["max"] = max(stats["max"], stats["now"])
            try:
                self.answer(200, data, headers, slow=True)
            finally:
                with lock:
                    stats["now"] -= 1

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    with open(port_file + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(port_file + ".tmp", port_file)
    server.serve_forever()


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        serve(sys.argv[2], sys.argv[3], float(sys.argv[4]))
