# Sourced by the fixture scripts (bash): stopping the daemons they start, by PID only, and removing their temp trees.

stop_pid() { # stop_pid PID NAME: TERM, wait up to 30 s, then KILL
  local pid=$1 name=$2 i
  [[ -n $pid ]] || return 0
  kill -0 "$pid" 2>/dev/null || return 0
  echo "stopping $name (pid $pid)" >&2
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 60; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  wait "$pid" 2>/dev/null || true
}

stop_dockerd_pid() { # stop_dockerd_pid PID EXEC_ROOT: dockerd stops the containerd it started; the child's PID file is checked afterwards
  local pid=$1 exec_root=$2 child=
  [[ -n $exec_root && -f $exec_root/containerd/containerd.pid ]] && child=$(cat "$exec_root/containerd/containerd.pid" 2>/dev/null || true)
  stop_pid "$pid" dockerd
  if [[ -n $child ]] && kill -0 "$child" 2>/dev/null; then stop_pid "$child" "dockerd's containerd"; fi
}

remove_tree() { # remove_tree DIR: unmount anything below DIR, make it writable, remove it
  local d=$1 m
  [[ -e $d ]] || return 0
  while read -r m; do
    [[ -n $m ]] && umount -l "$m" 2>/dev/null || true
  done < <(findmnt -rn -o TARGET | awk -v p="$d/" 'index($0, p) == 1' | sort -r)
  chmod -R u+rwx "$d" 2>/dev/null || true
  rm -rf --one-file-system "$d"
}
