#!/usr/bin/env bash
# Builds the ImageTools test fixtures in tests/Fixtures/data/ with the real tools
# (umoci, skopeo, GNU tar, zstd, dockerd 20.10, containerd 1.6 from Debian 12)
# and records what those tools say about them in tests/Fixtures/data/expected/.
#
# Needs root and: skopeo umoci containerd runc docker.io jq attr zstd python3.
# Every server it starts (dockerd, containerd) is stopped by its PID from a trap;
# all scratch state lives in one mktemp dir that is removed at the end.
# See tests/Fixtures/README.md.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DATA=$HERE/data
EXP=$DATA/expected
L=$DATA/oci-layout
DOCKER=/usr/bin/docker          # Debian's 20.10 client; /usr/local/bin may hold a newer one
PY=/usr/bin/python3
SKOPEO=(skopeo --insecure-policy)

[[ $(id -u) -eq 0 ]] || { echo "run as root" >&2; exit 1; }
for t in umoci skopeo containerd ctr runc dockerd jq setfattr zstd tar; do
  command -v "$t" >/dev/null || { echo "missing $t (apt-get install -y skopeo umoci containerd runc docker.io jq attr zstd)" >&2; exit 1; }
done
[[ -x $DOCKER ]] || { echo "missing $DOCKER" >&2; exit 1; }

export LC_ALL=C.UTF-8 TZ=UTC
umask 022

TMP=$(mktemp -d /tmp/imagetools-fixtures.XXXXXX)
DOCKERD_PID= CONTAINERD_PID=

# shellcheck source=daemon-helpers.sh
. "$HERE/daemon-helpers.sh"

stop_dockerd() { stop_dockerd_pid "$DOCKERD_PID" "$TMP/dkr-exec"; DOCKERD_PID=; }
stop_containerd() { stop_pid "$CONTAINERD_PID" containerd; CONTAINERD_PID=; }

cleanup() {
  local rc=$?
  stop_dockerd
  stop_containerd
  remove_tree "$TMP"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- timestamps
T1=1700000000   # base layer 1   2023-11-14T22:13:20Z
T2=1700000100   # base layer 2
T3=1700000200   # base layer 3
T4=1700000300   # base config
T5=1700001000   # app layer 4 (whiteouts)
T6=1700001100   # app layer 5 (opaque dir, GNU tar)
T7=1700001200   # app config
T8=1700002000   # multi images
T9=1700003000   # zstd layer
iso() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }

# stamp T ROOT PATH...: set mtime T on each PATH (not following symlinks) and on
# all its parent directories up to and including ROOT.
stamp() {
  local t=$1 root=$2 p q
  shift 2
  for p in "$@"; do
    q=$p
    while :; do
      touch -h -d "@$t" "$root/$q"
      [[ $q == . ]] && break
      q=$(dirname "$q")
    done
  done
}

# blob_put FILE: store FILE as a sha256 blob in the layout; prints the hex digest
blob_put() {
  local h
  h=$(sha256sum "$1" | cut -d' ' -f1)
  install -m 0600 "$1" "$L/blobs/sha256/$h"
  echo "$h"
}

echo "== wiping $DATA" >&2
rm -rf "$DATA"
mkdir -p "$DATA" "$EXP"

# ================================================================ OCI layout
echo "== OCI layout (umoci)" >&2
umoci init --layout "$L"

# ---- base:1.0, layer 1: /etc, /usr/bin with hardlink + symlinks, data/, opt/remove-me/, a uid 1000 home
umoci new --image "$L:base:1.0"
B=$TMP/bundle-base1
umoci unpack --image "$L:base:1.0" "$B"
R=$B/rootfs
mkdir -p "$R"/{etc,usr/bin,data/keep,opt/remove-me/b,home/user}
printf 'NAME="ImageTools fixture"\nID=imagetools\nVERSION_ID=0.9\n' >"$R/etc/os-release"
printf 'fixture\n' >"$R/etc/hostname"
printf 'this file is deleted by app:2.0\n' >"$R/etc/delete-me.conf"
ln -s /usr/share/zoneinfo/UTC "$R/etc/localtime"                  # absolute, dangling symlink
printf '#!/bin/sh\necho hello from imagetools\n' >"$R/usr/bin/hello"
chmod 0755 "$R/usr/bin/hello"
ln "$R/usr/bin/hello" "$R/usr/bin/hello-link"                     # hardlink
ln -s hello "$R/usr/bin/hi"                                       # relative symlink
printf 'old data 1 (hidden by the opaque data/ in app:2.0)\n' >"$R/data/old1.txt"
printf 'old data 2 (hidden by the opaque data/ in app:2.0)\n' >"$R/data/keep/old2.txt"
printf 'a\n' >"$R/opt/remove-me/a.txt"
printf 'c\n' >"$R/opt/remove-me/b/c.txt"
printf 'export PS1=fixture\n' >"$R/home/user/.profile"
chmod 0700 "$R/home/user"
chown -R 1000:1000 "$R/home/user"
stamp "$T1" "$R" etc/os-release etc/hostname etc/delete-me.conf etc/localtime \
  usr/bin/hello usr/bin/hi data/old1.txt data/keep/old2.txt \
  opt/remove-me/a.txt opt/remove-me/b/c.txt home/user/.profile
umoci repack --image "$L:base:1.0" --history.created "$(iso "$T1")" \
  --history.created_by "fixture: base layer 1 (etc, usr/bin hardlink+symlinks, data, opt/remove-me)" \
  --history.author "ImageTools fixtures" "$B"

# ---- base:1.0, layer 2: long path (>100 chars), long file name (>100 chars), non-ASCII names
B=$TMP/bundle-base2
umoci unpack --image "$L:base:1.0" "$B"
R=$B/rootfs
LONGDIR=usr/share/imagetools/aaaaaaaaaaaaaaaa/bbbbbbbbbbbbbbbb/cccccccccccccccc/dddddddddddddddd/eeeeeeeeeeeeeeee
LONGPATH=$LONGDIR/deep-file.txt                                    # 123 chars
LONGNAME=usr/share/imagetools/$(printf 'n%.0s' {1..110}).txt       # basename 114 chars
mkdir -p "$R/$LONGDIR" "$R/usr/share/doc"
printf 'deep\n' >"$R/$LONGPATH"
printf 'long name\n' >"$R/$LONGNAME"
printf 'naïve café\n' >"$R/usr/share/doc/naïve-café.txt"
printf '日本語\n' >"$R/usr/share/doc/日本語.txt"
stamp "$T2" "$R" "$LONGPATH" "$LONGNAME" usr/share/doc/naïve-café.txt usr/share/doc/日本語.txt
umoci repack --image "$L:base:1.0" --history.created "$(iso "$T2")" \
  --history.created_by "fixture: base layer 2 (long path, long name, non-ASCII names)" \
  --history.author "ImageTools fixtures" "$B"

# ---- base:1.0, layer 3: a file with xattr user.imagetools, a modified etc/os-release
B=$TMP/bundle-base3
umoci unpack --image "$L:base:1.0" "$B"
R=$B/rootfs
printf 'xattr=yes\n' >"$R/etc/xattr.conf"
setfattr -n user.imagetools -v fixture-value "$R/etc/xattr.conf"
printf 'NAME="ImageTools fixture"\nID=imagetools\nVERSION_ID=1.0\n' >"$R/etc/os-release"
stamp "$T3" "$R" etc/xattr.conf etc/os-release
umoci repack --image "$L:base:1.0" --history.created "$(iso "$T3")" \
  --history.created_by "fixture: base layer 3 (xattr user.imagetools, os-release changed)" \
  --history.author "ImageTools fixtures" "$B"

umoci config --image "$L:base:1.0" \
  --config.entrypoint /usr/bin/hello --config.cmd=--greet \
  --config.env PATH=/usr/local/bin:/usr/bin:/bin --config.env FIXTURE=base \
  --config.label org.opencontainers.image.title=base --config.label com.example.fixture=imagetools \
  --config.workingdir /data --config.user 1000:1000 \
  --config.exposedports 8080/tcp --config.volume /var/lib/base-volume \
  --config.stopsignal SIGTERM \
  --author "ImageTools fixtures <fixtures@example.com>" \
  --created "$(iso "$T4")" --history.created "$(iso "$T4")" \
  --history.created_by "fixture: umoci config (base)" --history.author "ImageTools fixtures"

# ---- app:2.0 on top of base:1.0
# layer 4 (umoci repack): whiteout of a file and of a whole directory, plus a new file
B=$TMP/bundle-app1
umoci unpack --image "$L:base:1.0" "$B"
R=$B/rootfs
rm "$R/etc/delete-me.conf"
rm -rf "$R/opt/remove-me"
mkdir -p "$R/srv/app"
printf 'app 2.0\n' >"$R/srv/app/app.txt"
stamp "$T5" "$R" etc opt srv/app/app.txt
umoci repack --image "$L:app:2.0" --history.created "$(iso "$T5")" \
  --history.created_by "fixture: app layer 4 (rm etc/delete-me.conf, rm -rf opt/remove-me)" \
  --history.author "ImageTools fixtures" "$B"

# layer 5 (GNU tar + umoci raw add-layer): opaque data/ with new files
S=$TMP/opaque-layer
mkdir -p "$S/data/sub"
: >"$S/data/.wh..wh..opq"
printf 'new data (after the opaque marker)\n' >"$S/data/new.txt"
printf 'new sub data\n' >"$S/data/sub/new2.txt"
chmod 0755 "$S/data" "$S/data/sub"
chmod 0644 "$S/data/.wh..wh..opq" "$S/data/new.txt" "$S/data/sub/new2.txt"
tar --format=gnu --numeric-owner --owner=0 --group=0 --mtime="@$T6" --no-recursion \
  -C "$S" -cf "$TMP/opaque-layer.tar" \
  data/ data/.wh..wh..opq data/new.txt data/sub/ data/sub/new2.txt
umoci raw add-layer --image "$L:app:2.0" --history.created "$(iso "$T6")" \
  --history.created_by "fixture: app layer 5 (GNU tar: data/.wh..wh..opq + new files)" \
  --history.author "ImageTools fixtures" "$TMP/opaque-layer.tar"

umoci config --image "$L:app:2.0" \
  --config.entrypoint /bin/sh --config.cmd=-c --config.cmd='cat /srv/app/app.txt' \
  --config.env FIXTURE=app --config.env APP_VERSION=2.0 \
  --config.label org.opencontainers.image.title=app --config.label org.opencontainers.image.version=2.0 \
  --config.workingdir /srv/app --config.user 0:0 \
  --config.exposedports 9090/udp \
  --author "ImageTools fixtures <fixtures@example.com>" \
  --created "$(iso "$T7")" --history.created "$(iso "$T7")" \
  --history.created_by "fixture: umoci config (app)" --history.author "ImageTools fixtures"
umoci tag --image "$L:app:2.0" app:latest

# ---- multi:latest: a nested image index (linux/amd64 + linux/arm64/v8)
# The per-platform images are built under the temporary tags multi:amd64 and
# multi:arm64; those two entries are then REMOVED from index.json, so the
# per-platform manifests are reachable only through the nested index blob.
for arch in amd64 arm64; do
  umoci new --image "$L:multi:$arch"
  B=$TMP/bundle-multi-$arch
  umoci unpack --image "$L:multi:$arch" "$B"
  R=$B/rootfs
  mkdir -p "$R/etc"
  printf 'platform=linux/%s\n' "$arch" >"$R/etc/platform"
  stamp "$T8" "$R" etc/platform
  umoci repack --image "$L:multi:$arch" --history.created "$(iso "$T8")" \
    --history.created_by "fixture: multi $arch layer" --history.author "ImageTools fixtures" "$B"
  umoci config --image "$L:multi:$arch" --architecture "$arch" --os linux \
    --config.cmd=/bin/true --config.label "com.example.platform=linux/$arch" \
    --created "$(iso "$T8")" --history.created "$(iso "$T8")" \
    --history.created_by "fixture: umoci config (multi $arch)" --history.author "ImageTools fixtures"
done
desc_of() { jq -c --arg t "$1" '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == $t) | {mediaType, digest, size}' "$L/index.json"; }
jq -n --argjson a "$(desc_of multi:amd64)" --argjson b "$(desc_of multi:arm64)" '{
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.index.v1+json",
    manifests: [
      ($a + {platform: {architecture: "amd64", os: "linux"}}),
      ($b + {platform: {architecture: "arm64", os: "linux", variant: "v8"}})
    ],
    annotations: {"org.opencontainers.image.created": "'"$(iso "$T8")"'"}
  }' >"$TMP/multi-index.json"
MULTI_HEX=$(blob_put "$TMP/multi-index.json")
MULTI_SIZE=$(stat -c %s "$TMP/multi-index.json")
jq -cj --arg d "sha256:$MULTI_HEX" --argjson s "$MULTI_SIZE" '
    .manifests |= (map(select(.annotations["org.opencontainers.image.ref.name"] | test("^multi:(amd64|arm64)$") | not))
      + [{mediaType: "application/vnd.oci.image.index.v1+json", digest: $d, size: $s,
          annotations: {"org.opencontainers.image.ref.name": "multi:latest"}}])' \
  "$L/index.json" >"$TMP/index.json"
install -m 0644 "$TMP/index.json" "$L/index.json"

# ---- zstd:1.0: base:1.0 plus one zstd-compressed layer.
# umoci 0.4.7 cannot write zstd (repack and raw add-layer always gzip), so the
# layer is compressed with the zstd CLI and the config/manifest/index.json are
# edited by hand with jq (config gets the DiffID and a history entry).
S=$TMP/zstd-layer
mkdir -p "$S/etc"
printf 'compressed with zstd\n' >"$S/etc/zstd.txt"
chmod 0755 "$S/etc"; chmod 0644 "$S/etc/zstd.txt"
tar --format=gnu --numeric-owner --owner=0 --group=0 --mtime="@$T9" --no-recursion \
  -C "$S" -cf "$TMP/zstd-layer.tar" etc/ etc/zstd.txt
zstd -q -19 -c "$TMP/zstd-layer.tar" >"$TMP/zstd-layer.tar.zst"
ZDIFF=sha256:$(sha256sum "$TMP/zstd-layer.tar" | cut -d' ' -f1)
ZHEX=$(blob_put "$TMP/zstd-layer.tar.zst")
ZSIZE=$(stat -c %s "$TMP/zstd-layer.tar.zst")
BASE_MHEX=$(desc_of base:1.0 | jq -r '.digest | ltrimstr("sha256:")')
BASE_CHEX=$(jq -r '.config.digest | ltrimstr("sha256:")' "$L/blobs/sha256/$BASE_MHEX")
jq -cj --arg diff "$ZDIFF" --arg t "$(iso "$T9")" '
    .created = $t | .rootfs.diff_ids += [$diff]
    | .history += [{created: $t, created_by: "fixture: zstd layer (zstd -19, added by hand)", author: "ImageTools fixtures"}]
    | .config.Labels["org.opencontainers.image.title"] = "zstd"' \
  "$L/blobs/sha256/$BASE_CHEX" >"$TMP/zstd-config.json"
ZCHEX=$(blob_put "$TMP/zstd-config.json")
jq -cj --arg c "sha256:$ZCHEX" --argjson cs "$(stat -c %s "$TMP/zstd-config.json")" \
    --arg l "sha256:$ZHEX" --argjson ls "$ZSIZE" '
    .config.digest = $c | .config.size = $cs
    | .layers += [{mediaType: "application/vnd.oci.image.layer.v1.tar+zstd", digest: $l, size: $ls}]' \
  "$L/blobs/sha256/$BASE_MHEX" >"$TMP/zstd-manifest.json"
ZMHEX=$(blob_put "$TMP/zstd-manifest.json")
jq -cj --arg d "sha256:$ZMHEX" --argjson s "$(stat -c %s "$TMP/zstd-manifest.json")" '
    .manifests += [{mediaType: "application/vnd.oci.image.manifest.v1+json", digest: $d, size: $s,
                    annotations: {"org.opencontainers.image.ref.name": "zstd:1.0"}}]' \
  "$L/index.json" >"$TMP/index.json"
install -m 0644 "$TMP/index.json" "$L/index.json"

umoci gc --layout "$L"

# ================================================================ skopeo
echo "== skopeo copies" >&2
"${SKOPEO[@]}" copy -q "oci:$L:base:1.0" "oci-archive:$DATA/oci-archive.tar:base:1.0"
"${SKOPEO[@]}" copy -q --additional-tag app:latest "oci:$L:app:2.0" "docker-archive:$DATA/docker-archive.tar:app:2.0"
"${SKOPEO[@]}" copy -q --format v2s2 "oci:$L:base:1.0" "dir:$DATA/dir-base"
# scratch inputs for dockerd / containerd (not committed)
"${SKOPEO[@]}" copy -q "oci:$L:base:1.0" "docker-archive:$TMP/base-docker.tar:base:1.0"
"${SKOPEO[@]}" copy -q --all "oci:$L:multi:latest" "oci-archive:$TMP/multi-oci.tar:multi:latest"

# ---- docker-archive-gzip.tar: the skopeo docker-archive rewritten the way
# dotnet/sdk writes archives: every <v1id>/layer.tar is a regular file holding
# the GZIP-compressed layer (symlink resolved), manifest.json "Layers" point at
# those <v1id>/layer.tar paths, and the top-level <diffid>.tar files are dropped.
# gzip header mtime 0, tar entries keep skopeo's mode 0444 / mtime 0.
"$PY" - "$DATA/docker-archive.tar" "$DATA/docker-archive-gzip.tar" <<'PYEOF'
import gzip, io, json, posixpath, re, sys, tarfile
src, dst = sys.argv[1], sys.argv[2]
with tarfile.open(src) as tin:
    members = tin.getmembers()
    by_name = {m.name: m for m in members}
    data = {m.name: tin.extractfile(m).read() for m in members if m.isfile()}
layer_re = re.compile(r'^[0-9a-f]{64}/layer\.tar$')
# <diffid>.tar -> <v1id>/layer.tar
remap = {}
for m in members:
    if layer_re.match(m.name):
        target = posixpath.normpath(posixpath.join(posixpath.dirname(m.name), m.linkname)) if m.issym() else m.name
        remap[target] = m.name
manifest = json.loads(data['manifest.json'])
for entry in manifest:
    entry['Layers'] = [remap.get(l, l) for l in entry['Layers']]
new_manifest = json.dumps(manifest, separators=(',', ':')).encode()
with tarfile.open(dst, 'w', format=tarfile.PAX_FORMAT) as tout:
    def add(template, name, payload):
        ti = tarfile.TarInfo(name)
        ti.size, ti.mode, ti.mtime = len(payload), template.mode, template.mtime
        ti.uid = ti.gid = 0
        ti.uname = ti.gname = ''
        ti.type = tarfile.REGTYPE
        tout.addfile(ti, io.BytesIO(payload))
    for m in members:
        if m.name in remap and m.name not in remap.values():
            continue                                   # top-level <diffid>.tar: dropped
        if layer_re.match(m.name):
            if m.issym():
                target = posixpath.normpath(posixpath.join(posixpath.dirname(m.name), m.linkname))
                raw = data[target]
            else:
                raw = data[m.name]
            add(by_name.get(target, m) if m.issym() else m, m.name, gzip.compress(raw, compresslevel=9, mtime=0))
        elif m.name == 'manifest.json':
            add(m, m.name, new_manifest)
        elif m.isfile():
            add(m, m.name, data[m.name])
        else:
            tout.addfile(m)
PYEOF

# ================================================================ dockerd 20.10
echo "== dockerd" >&2
DSOCK=$TMP/dkr.sock
D=("$DOCKER" -H "unix://$DSOCK")
echo '{}' >"$TMP/daemon.json"
start_dockerd() { # start_dockerd DRIVER; returns 1 if it does not come up
  rm -f "$DSOCK"
  dockerd --config-file "$TMP/daemon.json" --data-root "$TMP/dkr" --exec-root "$TMP/dkr-exec" \
    --host "unix://$DSOCK" --pidfile "$TMP/dkr.pid" --storage-driver "$1" \
    --iptables=false --ip6tables=false --bridge=none --log-level warn \
    >"$TMP/dockerd-$1.log" 2>&1 &
  DOCKERD_PID=$!
  local i
  for ((i = 0; i < 120; i++)); do
    if "${D[@]}" version >/dev/null 2>&1; then return 0; fi
    kill -0 "$DOCKERD_PID" 2>/dev/null || break
    sleep 0.5
  done
  echo "dockerd with $1 did not come up:" >&2; tail -20 "$TMP/dockerd-$1.log" >&2
  stop_dockerd
  return 1
}
DOCKER_DRIVER=overlay2
if ! start_dockerd overlay2; then
  remove_tree "$TMP/dkr"; remove_tree "$TMP/dkr-exec"
  DOCKER_DRIVER=vfs
  start_dockerd vfs
fi
{ echo "storage driver: $DOCKER_DRIVER"; "${D[@]}" version --format 'server {{.Server.Version}} client {{.Client.Version}}'; } >"$EXP/dockerd.info.txt"
# The gzip archive goes first into the empty daemon, so its layers really are
# read from the compressed layer.tar files.
"${D[@]}" load -i "$DATA/docker-archive-gzip.tar" >"$EXP/docker-archive-gzip.docker-load.txt"
"${D[@]}" load -i "$TMP/base-docker.tar" >"$EXP/base-docker-archive.docker-load.txt"
"${D[@]}" load -i "$DATA/docker-archive.tar" >"$EXP/docker-archive.docker-load.txt"
"${D[@]}" image inspect base:1.0 app:2.0 app:latest \
  | jq '[.[] | {Id, RepoTags, RepoDigests, Parent, Comment, Created, Author, Architecture, Os, Size, Config, RootFS}]' \
  >"$EXP/dockerd.image-inspect.json"
"${D[@]}" images --digests --no-trunc --format '{{.Repository}}:{{.Tag}} {{.ID}} {{.Digest}} {{.Size}}' | sort >"$EXP/dockerd.images.txt"
BASE_ID=$("${D[@]}" image inspect -f '{{.Id}}' base:1.0)
# several images in one file: base:1.0 by tag, app:2.0 by tag and app by repository (=> app:2.0 + app:latest)
"${D[@]}" save -o "$DATA/docker-save-legacy.tar" base:1.0 app:2.0 app
# by image ID: RepoTags null, no repositories file
"${D[@]}" save -o "$DATA/docker-save-untagged.tar" "$BASE_ID"
chmod 0644 "$DATA"/docker-save-*.tar
stop_dockerd
remove_tree "$TMP/dkr"
remove_tree "$TMP/dkr-exec"

# ================================================================ containerd 1.6
echo "== containerd" >&2
CT=$TMP/ctrd
mkdir -p "$CT"
cat >"$CT/config.toml" <<TOML
version = 2
root = "$CT/root"
state = "$CT/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$CT/ctrd.sock"
[ttrpc]
  address = "$CT/ctrd.sock.ttrpc"
[plugins."io.containerd.internal.v1.opt"]
  path = "$CT/opt"
TOML
containerd --config "$CT/config.toml" >"$CT/containerd.log" 2>&1 &
CONTAINERD_PID=$!
C=(ctr -a "$CT/ctrd.sock" -n fixtures)
for ((i = 0; i < 120; i++)); do
  "${C[@]}" version >/dev/null 2>&1 && break
  kill -0 "$CONTAINERD_PID" 2>/dev/null || { cat "$CT/containerd.log" >&2; exit 1; }
  sleep 0.5
done
"${C[@]}" version >/dev/null
{
  echo "\$ ctr images import oci-archive.tar"; "${C[@]}" images import "$DATA/oci-archive.tar"
  echo "\$ ctr images import docker-archive.tar"; "${C[@]}" images import "$DATA/docker-archive.tar"
  echo "\$ ctr images import --all-platforms multi-oci.tar (skopeo copy --all of multi:latest)"; "${C[@]}" images import --all-platforms "$TMP/multi-oci.tar"
} >"$EXP/ctr.import.txt" 2>&1
"${C[@]}" images ls >"$EXP/ctr.images-ls.txt"
"${C[@]}" content ls >"$EXP/ctr.content-ls.txt"
# an OCI layout + docker manifest.json in one tar (the Docker 25+/containerd shape)
"${C[@]}" images export --all-platforms "$DATA/ctr-export.tar" base:1.0 docker.io/library/app:2.0 multi:latest
stop_containerd
remove_tree "$CT"

# ================================================================ expected answers
echo "== expected outputs" >&2
cd "$DATA"     # relative references, so no absolute paths end up in the outputs

# inspect_ref NAME REF [extra skopeo inspect args]: NAME.inspect.json, NAME.config.json, NAME.raw.json
# (a failing call is recorded as NAME.<kind>.error.txt instead)
inspect_ref() {
  local name=$1 ref=$2 kind
  shift 2
  local -a flag
  for kind in inspect config raw; do
    case $kind in
      inspect) flag=() ;;
      config) flag=(--config) ;;
      raw) flag=(--raw) ;;
    esac
    if "${SKOPEO[@]}" inspect "${flag[@]}" "$@" "$ref" >"$TMP/out" 2>"$TMP/err"; then
      jq . "$TMP/out" >"expected/$name.$kind.json"
    else
      { echo "\$ skopeo inspect ${flag[*]} $* $ref"; sed -E 's/^time="[^"]*" //' "$TMP/err"; } >"expected/$name.$kind.error.txt"
      echo "WARNING: skopeo inspect ${flag[*]} $* $ref failed (expected/$name.$kind.error.txt)" >&2
    fi
  done
}

# OCI layout
for t in base:1.0 app:2.0 app:latest zstd:1.0 multi:latest; do
  inspect_ref "oci-layout.${t/:/_}" "oci:oci-layout:$t"
done
inspect_ref oci-layout.multi_latest.arm64 oci:oci-layout:multi:latest --override-arch arm64 --override-variant v8
for t in base:1.0 app:2.0 app:latest zstd:1.0; do
  umoci stat --json --image "oci-layout:$t" | jq . >"expected/oci-layout.${t/:/_}.umoci-stat.json"
done
# umoci 0.4.7 cannot stat an index: record what it says
{ echo '$ umoci stat --json --image oci-layout:multi:latest'; umoci stat --json --image oci-layout:multi:latest 2>&1 || echo "(exit status $?)"; } \
  >expected/oci-layout.multi_latest.umoci-stat.error.txt

# oci-archive (skopeo)
inspect_ref oci-archive.base_1.0 oci-archive:oci-archive.tar:base:1.0
# docker-archive (skopeo), two names for one image
inspect_ref docker-archive.app_2.0 docker-archive:docker-archive.tar:app:2.0
inspect_ref docker-archive.app_latest docker-archive:docker-archive.tar:app:latest
# docker-archive with gzip layer.tar files
inspect_ref docker-archive-gzip.app_2.0 docker-archive:docker-archive-gzip.tar:app:2.0
# dir: (v2s2)
inspect_ref dir-base dir:dir-base
# docker save 20.10
inspect_ref docker-save-legacy.base_1.0 docker-archive:docker-save-legacy.tar:base:1.0
inspect_ref docker-save-legacy.app_2.0 docker-archive:docker-save-legacy.tar:app:2.0
inspect_ref docker-save-legacy.app_latest docker-archive:docker-save-legacy.tar:app:latest
inspect_ref docker-save-untagged.0 docker-archive:docker-save-untagged.tar:@0
# ctr export, read both as a docker-archive (manifest.json) and as an oci-archive (index.json)
inspect_ref ctr-export.docker.base_1.0 docker-archive:ctr-export.tar:base:1.0
inspect_ref ctr-export.docker.app_2.0 docker-archive:ctr-export.tar:app:2.0
inspect_ref ctr-export.docker.multi_latest docker-archive:ctr-export.tar:multi:latest
inspect_ref ctr-export.oci.base_1.0 oci-archive:ctr-export.tar:base:1.0
inspect_ref ctr-export.oci.app_2.0 oci-archive:ctr-export.tar:2.0
inspect_ref ctr-export.oci.multi_latest oci-archive:ctr-export.tar:multi:latest
inspect_ref ctr-export.oci.multi_latest.arm64 oci-archive:ctr-export.tar:multi:latest --override-arch arm64 --override-variant v8

# tar listings of every archive fixture
for f in *.tar; do
  tar --numeric-owner --full-time -tvf "$f" >"expected/${f%.tar}.tar-tv.txt"
done

cat >expected/README.md <<'MD'
# Expected answers (written by ../../New-Fixtures.sh, do not edit)

What the real tools (skopeo 1.9.3, umoci 0.4.7, dockerd 20.10.24, containerd/ctr 1.6.20) said about the
fixtures in `..`. JSON is pretty-printed with `jq .` (so `*.raw.json` is NOT byte-identical to the stored
manifest: use the `Digest` in the matching `*.inspect.json`, or the blob itself, for digests).

Naming: `<fixture>.<image>.<kind>` where `<image>` is the reference with `:` turned into `_`.

| kind | command |
|---|---|
| `.inspect.json` | `skopeo inspect <transport>:<ref>` |
| `.config.json` | `skopeo inspect --config <transport>:<ref>` |
| `.raw.json` | `skopeo inspect --raw <transport>:<ref>` (for docker-archive sources this manifest is synthesized by skopeo) |
| `.<kind>.error.txt` | the command and skopeo's error, when skopeo refused |
| `.umoci-stat.json` | `umoci stat --json --image oci-layout:<ref>` |
| `.tar-tv.txt` | `tar --numeric-owner --full-time -tvf <fixture>.tar` |

Fixtures / references:
- `oci-layout.{base_1.0,app_2.0,app_latest,zstd_1.0,multi_latest}.*` — `oci:oci-layout:<ref>`;
  `oci-layout.multi_latest.*` is the linux/amd64 pick skopeo makes on this host, `oci-layout.multi_latest.arm64.*`
  adds `--override-arch arm64 --override-variant v8` (`.raw.json` is the nested index either way).
  `oci-layout.multi_latest.umoci-stat.error.txt`: umoci cannot stat an index ("tag is ambiguous").
- `oci-archive.base_1.0.*` — `oci-archive:oci-archive.tar:base:1.0`.
- `docker-archive.{app_2.0,app_latest}.*` — `docker-archive:docker-archive.tar:<ref>`.
- `docker-archive-gzip.app_2.0.*` — `docker-archive:docker-archive-gzip.tar:app:2.0`.
- `dir-base.*` — `dir:dir-base`.
- `docker-save-legacy.{base_1.0,app_2.0,app_latest}.*` — `docker-archive:docker-save-legacy.tar:<ref>`.
- `docker-save-untagged.0.*` — `docker-archive:docker-save-untagged.tar:@0`.
- `ctr-export.docker.{base_1.0,app_2.0,multi_latest}.*` — the ctr export read through its `manifest.json`
  (`docker-archive:ctr-export.tar:<ref>`).
- `ctr-export.oci.{base_1.0,multi_latest,multi_latest.arm64}.*` — read through its `index.json`
  (`oci-archive:ctr-export.tar:<ref.name>`). `ctr-export.oci.app_2.0.*.error.txt`: ref.name there is `2.0`, but
  that entry's mediaType is the Docker v2s2 manifest type and skopeo's OCI transport skips such entries
  ("no descriptor found for reference").

Daemon outputs (captured while the private daemons ran):
- `dockerd.info.txt` — storage driver and versions; `dockerd.image-inspect.json` — `docker image inspect base:1.0
  app:2.0 app:latest` reduced to Id, RepoTags, RepoDigests, Parent, Comment, Created, Author, Architecture, Os, Size,
  Config, RootFS (the rest names random overlay2 dirs); `dockerd.images.txt` — `docker images --digests --no-trunc`.
- `docker-archive-gzip.docker-load.txt`, `base-docker-archive.docker-load.txt`, `docker-archive.docker-load.txt` —
  `docker load -i` output (the gzip archive was loaded first, into an empty daemon).
- `ctr.import.txt` — `ctr images import` output; `ctr.images-ls.txt` — `ctr images ls`; `ctr.content-ls.txt` —
  `ctr content ls` (the AGE column is run-dependent), namespace `fixtures`.

Byte-exact answers the tests read instead of running the tools (written by ../../Record-ToolAnswers.ps1):
- `skopeo/<transport>_<path>[_<ref>][+<overrides>].<kind>.json` — the stdout of `skopeo --insecure-policy inspect
  [--override-…] [--raw] [--config] <transport>:<path>[:<ref>]`, kind `inspect`, `raw`, `config` or `raw-config`
  (`--raw --config`), for every image of every fixture and each platform pick of the indexes.
- `zstd/<sha256 of the blob>.tar` — the stdout of `zstd -dc` for each zstd blob.
MD
echo "== referrers: signatures, SBOM, attestations attached to base:1.0 (referrers/)" >&2
"$HERE/referrers/New-ReferrerFixtures.sh"
echo "== recording skopeo's and zstd's answers" >&2
(cd "$HERE/../.." && dotnet pwsh -NoProfile -File tests/Fixtures/Record-ToolAnswers.ps1)
echo "== done: $(du -sh "$DATA" | cut -f1) in $DATA" >&2
