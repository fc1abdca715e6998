#!/usr/bin/env bash
# Builds the Docker data-root fixtures for ImageTools' Docker-root tests with a real dockerd
# (docker.io 20.10 from Debian 12), records what docker says about them, and packs each data root
# into a tar (GNU tar --xattrs keeps the overlay2 whiteout char devices and trusted.overlay.* xattrs).
#
#   docker-root-overlay2.tar.gz   data root with the overlay2 driver (images, layers, 2 containers,
#                                 a hand-made orphan overlay2 dir, a -removing dir and a dangling l/ link)
#   docker-root-vfs.tar.gz        data root with the vfs driver (base:1.0 and one created container)
#   docker-save.tar               `docker save app:2.0` from the overlay2 daemon (layer tars = replay reference)
#   expected/*                    docker image ls / image inspect / inspect / system df -v / diff answers
#
# Needs root. Installs docker.io from Debian's packages when dockerd is missing (the package's
# service is never enabled or started here). dockerd is stopped by the PID this script started.
# Input images: tests/Fixtures/data/docker-save-legacy.tar (base:1.0, app:2.0, app:latest).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DATA=$HERE/../data
EXP=$HERE/expected
DOCKER=/usr/bin/docker          # Debian's 20.10 client; /usr/local/bin may hold a newer one

[[ $(id -u) -eq 0 ]] || { echo "run as root" >&2; exit 1; }
if ! command -v dockerd >/dev/null || [[ ! -x $DOCKER ]]; then
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y docker.io
fi
for t in dockerd tar setfattr mknod jq; do
  command -v "$t" >/dev/null || { echo "missing $t (apt-get install -y docker.io attr jq)" >&2; exit 1; }
done

export LC_ALL=C.UTF-8 TZ=UTC
umask 022
TMP=$(mktemp -d /tmp/imagetools-dockerroot.XXXXXX)
DOCKERD_PID=
EXEC=

# shellcheck source=../daemon-helpers.sh
. "$HERE/../daemon-helpers.sh"

stop_dockerd() { stop_dockerd_pid "$DOCKERD_PID" "$EXEC"; DOCKERD_PID=; }

cleanup() { local rc=$?; stop_dockerd; remove_tree "$TMP"; exit $rc; }
trap cleanup EXIT
trap 'exit 130' INT TERM

start_dockerd() { # start_dockerd NAME DRIVER
  local name=$1 driver=$2 i
  EXEC=$TMP/$name-exec
  SOCK=$TMP/$name.sock
  dockerd --data-root "$TMP/$name" --exec-root "$EXEC" --host "unix://$SOCK" --pidfile "$TMP/$name.pid" \
    --storage-driver "$driver" --iptables=false --ip6tables=false --bridge=none >"$TMP/$name.log" 2>&1 &
  DOCKERD_PID=$!
  for ((i = 0; i < 120; i++)); do
    "$DOCKER" -H "unix://$SOCK" version >/dev/null 2>&1 && return 0
    kill -0 "$DOCKERD_PID" 2>/dev/null || { cat "$TMP/$name.log" >&2; exit 1; }
    sleep 0.5
  done
  cat "$TMP/$name.log" >&2; exit 1
}

d() { "$DOCKER" -H "unix://$SOCK" "$@"; }

record() { # record PREFIX: what docker says about the daemon's images and containers
  local p=$1
  d image ls --digests --no-trunc >"$EXP/$p.image-ls.txt"
  d image ls --digests --no-trunc --format '{{json .}}' >"$EXP/$p.image-ls.jsonl"
  d image inspect $(d image ls -qa --no-trunc | sort -u) >"$EXP/$p.image-inspect.json"
  d ps -a --no-trunc --format '{{json .}}' >"$EXP/$p.ps.jsonl"
  d inspect $(d ps -qa --no-trunc) >"$EXP/$p.container-inspect.json"
  d system df -v >"$EXP/$p.system-df.txt"
  for c in $(d ps -a --format '{{.Names}}'); do d diff "$c" >"$EXP/$p.diff.$c.txt" || true; done
}

pack() { # pack NAME: the data root as a tar with xattrs, char devices and numeric owners
  local name=$1
  tar --xattrs --xattrs-include='*' --numeric-owner --sort=name -C "$TMP/$name" -czf "$HERE/docker-root-$name.tar.gz" .
}

rm -rf "$EXP"; mkdir -p "$EXP"

# ------------------------------------------------------------------ overlay2
start_dockerd overlay2 overlay2
d load -i "$DATA/docker-save-legacy.tar"
d tag app:2.0 registry.example.com:5000/team/app:2.0
d create --name created-only --network none base:1.0 >/dev/null
# "ran": tini (static, from docker.io's docker-init) is copied in and run, so the container really started and exited 0.
d create --name ran --network none --entrypoint /tini app:2.0 --version >/dev/null
d cp /usr/bin/tini-static ran:/tini
d start -a ran >"$TMP/ran.out" 2>&1 || true
# More changes in ran's upper dir, written by hand (the images hold no shell): a deleted file
# (whiteout char device 0:0), a changed file (copied up) and an opaque directory with a new file.
RAN=$(d inspect -f '{{.Id}}' ran)
UPPER=$(d inspect -f '{{.GraphDriver.Data.UpperDir}}' ran)
mkdir -p "$UPPER/etc" "$UPPER/data"
mknod "$UPPER/etc/xattr.conf" c 0 0
printf 'NAME=changed\n' >"$UPPER/etc/os-release"
setfattr -n trusted.overlay.opaque -v y "$UPPER/data"
printf 'fresh\n' >"$UPPER/data/fresh.txt"
mkdir -p "$UPPER/srv/app/logs"; printf 'log line\n' >"$UPPER/srv/app/logs/run.log"
record overlay2
d save -o "$HERE/docker-save.tar" app:2.0
echo "$RAN" >"$EXP/overlay2.ran.id"
stop_dockerd

# hand-made debris: an overlay2 dir nothing references (with its l/ link), a -removing dir,
# and an l/ link whose directory is gone
R=$TMP/overlay2
ORPHAN=0000000000000000000000000000000000000000000000000000000000000001
mkdir -p "$R/overlay2/$ORPHAN/diff/tmp" "$R/overlay2/$ORPHAN/work"
head -c 5000 /dev/zero >"$R/overlay2/$ORPHAN/diff/tmp/orphan.bin"
printf 'ORPHANLINK0000000000000001' >"$R/overlay2/$ORPHAN/link"
ln -s "../$ORPHAN/diff" "$R/overlay2/l/ORPHANLINK0000000000000001"
REMOVING=0000000000000000000000000000000000000000000000000000000000000002-removing
mkdir -p "$R/overlay2/$REMOVING/diff"
head -c 3000 /dev/zero >"$R/overlay2/$REMOVING/diff/half-deleted.bin"
ln -s ../0000000000000000000000000000000000000000000000000000000000000003/diff "$R/overlay2/l/DANGLINGLINK00000000000003"
pack overlay2

# ------------------------------------------------------------------ vfs
start_dockerd vfs vfs
d load -i "$DATA/docker-save-legacy.tar" >/dev/null
d rmi app:2.0 app:latest >/dev/null
d create --name vfs-created --network none base:1.0 >/dev/null
record vfs
stop_dockerd
pack vfs

ls -la "$HERE" "$EXP"
