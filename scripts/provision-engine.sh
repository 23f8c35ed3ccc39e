#!/usr/bin/env bash
# Provision what the integration tests need (called by scripts/test.sh):
#   1. a Docker Engine that answers: $DOCKER_HOST, else /var/run/docker.sock, else Debian's
#      docker.io (20.10, API 1.41) installed and dockerd started in the background;
#   2. /bin/busybox (Debian busybox-static);
#   3. the test image tscompose/busybox:latest, imported from a busybox-static root fs;
#   4. a cheap check that `docker run --rm tscompose/busybox:latest echo ok` works.
# Idempotent and serialised (flock), ~0.5 s when everything is there. Messages go to stderr,
# prefixed "provision: ". A dockerd started here keeps running after the script exits.
#
# Environment knobs (all optional):
#   TSCOMPOSE_DOCKERD_LOG    dockerd log file (default /var/log/tscompose-dockerd.log)
#   TSCOMPOSE_DOCKERD_FLAGS  dockerd flags to try first, e.g. "--storage-driver=vfs"
#   TSCOMPOSE_ENGINE_WAIT    seconds to wait for a started dockerd to answer (default 60)
set -euo pipefail

IMAGE=tscompose/busybox:latest
# Bump when the root fs built below changes: an image with another version gets rebuilt.
ROOTFS_VERSION=1
DOCKERD_LOG=${TSCOMPOSE_DOCKERD_LOG:-/var/log/tscompose-dockerd.log}
ENGINE_WAIT=${TSCOMPOSE_ENGINE_WAIT:-60}
STATE_DIR=/var/lib/tscompose
FLAGS_FILE=$STATE_DIR/dockerd-flags   # the dockerd flags that worked last time
IS_ROOT=0; [ "$(id -u)" != 0 ] || IS_ROOT=1

ROOTFS_TMP=
trap '[ -z "$ROOTFS_TMP" ] || rm -rf "$ROOTFS_TMP"' EXIT

log() { echo "provision: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }
need_root() { [ "$IS_ROOT" = 1 ] || die "$* needs root"; }

command -v docker >/dev/null 2>&1 || die "no docker client on PATH (expected /usr/local/bin/docker)"
export PATH="$PATH:/usr/sbin:/sbin"

# Serialise concurrent runs (several test runs may start at once on a fresh machine: without
# this, two dockerds race for /var/run/docker.pid). The fd is closed for dockerd below.
if [ "$IS_ROOT" = 1 ]; then
  mkdir -p "$STATE_DIR"
  exec 9>>"$STATE_DIR/provision.lock"
  flock -w 600 9 || die "another provision-engine.sh has held $STATE_DIR/provision.lock for 10 min"
fi

engine_answers() {
  # The server part of `docker version` fails (non-zero exit) when no engine answers.
  timeout 15 docker version --format '{{.Server.APIVersion}}' >/dev/null 2>&1
}

# ---------------------------------------------------------------- packages (one apt run)
apt_install() {
  [ "$#" -gt 0 ] || return 0
  need_root "installing $*"
  log "apt-get update"
  apt-get update -qq >&2 || log "warning: apt-get update failed; trying the install anyway"
  # Keep maintainer scripts from starting services (docker.io's postinst would otherwise start
  # its own dockerd through /etc/init.d, with flags we don't control).
  local policy_created=0 rc=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    policy_created=1
  fi
  log "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    -o DPkg::Lock::Timeout=300 "$@" >&2 || rc=$?
  [ "$policy_created" = 0 ] || rm -f /usr/sbin/policy-rc.d
  [ "$rc" = 0 ] || die "apt-get install $* failed (exit $rc)"
}

# ---------------------------------------------------------------- 1. which engine?
START_DOCKERD=0
if [ -n "${DOCKER_HOST:-}" ]; then
  if engine_answers; then
    log "using the engine at DOCKER_HOST=$DOCKER_HOST"
  else
    log "warning: nothing answers at DOCKER_HOST=$DOCKER_HOST; falling back to /var/run/docker.sock" \
        "(unset DOCKER_HOST for the tests, or they will still use it)"
    unset DOCKER_HOST
  fi
fi
if [ -z "${DOCKER_HOST:-}" ]; then
  if engine_answers; then
    log "using the engine at /var/run/docker.sock"
  else
    START_DOCKERD=1
  fi
fi

# ---------------------------------------------------------------- 1+2. packages
pkgs=()
if [ "$START_DOCKERD" = 1 ] && ! command -v dockerd >/dev/null 2>&1; then
  # Its Depends bring everything dockerd needs here: containerd, runc, iptables (nft and
  # legacy variants), tini, docker-proxy (in docker.io itself). None of the Recommends
  # (apparmor, cgroupfs-mount, git, xz-utils, needrestart, ca-certificates) is needed: this
  # kernel has no AppArmor enabled, and cgroups are already mounted (see ensure_cgroups).
  # It also brings a 20.10 client at /usr/bin/docker; /usr/local/bin/docker (28) comes first
  # in PATH and negotiates API 1.41 fine.
  pkgs+=(docker.io)
fi
[ -x /bin/busybox ] || pkgs+=(busybox-static)
apt_install "${pkgs[@]+"${pkgs[@]}"}"

# ---------------------------------------------------------------- dockerd
DOCKERD_PID=
LOG_OFFSET=0

# The flag sets to try, in order (the first one that yields a working `docker run` wins and is
# remembered in $FLAGS_FILE for the next start). On this sandbox (Firecracker VM, kernel 6.x
# with everything built in, ext4 root, cgroup v1, iptables-nft) the DEFAULTS work: overlay2,
# cgroupfs driver, iptables via nft, userland proxy. Why each fallback flag exists:
#  --storage-driver=vfs : for hosts where overlay2 passes dockerd's probe but container mounts
#      fail later (some sandboxes). When overlay plainly cannot work (e.g. /var/lib/docker on
#      overlayfs or FUSE) dockerd's own probe already falls back to vfs by itself (tested).
#      vfs copies every layer, which is fine for our one-layer 2 MB image.
#  --iptables=false --ip-masq=false : for hosts where no iptables backend (nft or legacy)
#      works, so dockerd dies creating its NAT chain. Bridge networks, embedded DNS and
#      127.0.0.1 port publishing (docker-proxy) still work; lost: outbound NAT and the
#      isolation between networks (internal networks and network separation not enforced).
# Not needed here: fuse-overlayfs, iptables-legacy, --exec-opt native.cgroupdriver=..., and
# --userland-proxy=false (tested: 127.0.0.1:port publishing works with and without it).
# Careful when experimenting: a second dockerd started with --bridge=none (even with its own
# --data-root) deletes the host's docker0 at startup, breaking the main engine's bridge.
dockerd_attempts() {
  [ -z "${TSCOMPOSE_DOCKERD_FLAGS:-}" ] || echo "$TSCOMPOSE_DOCKERD_FLAGS"
  [ ! -s "$FLAGS_FILE" ] || head -n1 "$FLAGS_FILE"
  echo ""
  echo "--storage-driver=vfs"
  echo "--iptables=false --ip-masq=false"
  echo "--storage-driver=vfs --iptables=false --ip-masq=false"
}

# Debian's iptables defaults to the nft backend (works here: CONFIG_NFT_COMPAT=y). If it cannot
# talk to the kernel but the legacy backend can, switch the alternatives to iptables-legacy.
choose_iptables() {
  command -v iptables >/dev/null 2>&1 || return 0
  iptables -t nat -S >/dev/null 2>&1 && iptables -t filter -S >/dev/null 2>&1 && return 0
  if command -v iptables-legacy >/dev/null 2>&1 && iptables-legacy -t nat -S >/dev/null 2>&1; then
    log "iptables (nft backend) does not work here; switching to iptables-legacy"
    update-alternatives --set iptables /usr/sbin/iptables-legacy >/dev/null
    update-alternatives --set ip6tables /usr/sbin/ip6tables-legacy >/dev/null 2>&1 || true
  else
    log "warning: no working iptables backend; dockerd will probably need --iptables=false"
  fi
}

# dockerd (runc) needs cgroup hierarchies; a bare VM/container may have none mounted.
ensure_cgroups() {
  grep -qE '^[^ ]+ [^ ]+ cgroup2? ' /proc/mounts && return 0
  log "no cgroup filesystem mounted; mounting cgroup2 on /sys/fs/cgroup"
  mkdir -p /sys/fs/cgroup
  mount -t cgroup2 none /sys/fs/cgroup || log "warning: mounting cgroup2 failed"
}

wait_for_engine() {   # $1 = pid of the dockerd to watch
  local pid=$1 deadline=$((SECONDS + ENGINE_WAIT))
  while [ "$SECONDS" -lt "$deadline" ]; do
    engine_answers && return 0
    if ! kill -0 "$pid" 2>/dev/null; then
      log "dockerd (pid $pid) exited"
      return 1
    fi
    sleep 0.3
  done
  log "dockerd did not answer within ${ENGINE_WAIT}s"
  return 1
}

stop_dockerd() {
  local pid=$1 i
  kill -TERM "$pid" 2>/dev/null || return 0
  for i in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.5; done
  kill -KILL "$pid" 2>/dev/null || true
}

start_dockerd() {  # flags...
  mkdir -p "$(dirname "$DOCKERD_LOG")"
  touch "$DOCKERD_LOG"
  LOG_OFFSET=$(stat -c %s "$DOCKERD_LOG")
  echo "=== $(date -Is) provision-engine.sh: dockerd $*" >>"$DOCKERD_LOG"
  # setsid+nohup: own session, so it outlives this script and the caller's process group.
  # 9>&-: don't hand the provision lock to dockerd. --host is explicit so that a stale
  # DOCKER_HOST in the environment cannot change where it listens.
  setsid nohup dockerd --host=unix:///var/run/docker.sock "$@" \
    </dev/null >>"$DOCKERD_LOG" 2>&1 9>&- &
  DOCKERD_PID=$!
  log "started dockerd (pid $DOCKERD_PID) ${*:-with default flags}; log: $DOCKERD_LOG"
}

show_log() {  # what this start wrote to the log: its errors, else its last lines
  local this
  this=$(tail -c +"$((LOG_OFFSET + 1))" "$DOCKERD_LOG" 2>/dev/null || true)
  { grep -E 'level=(error|fatal)|failed to start|^Error' <<<"$this" | tail -n "$1" ||
    tail -n "$1" <<<"$this"; } | sed 's/^/provision:   /' >&2
}

# ---------------------------------------------------------------- 3+4. test image, check
image_ok() {
  [ "$(docker image inspect -f '{{index .Config.Labels "tscompose.rootfs-version"}}' "$IMAGE" \
       2>/dev/null)" = "$ROOTFS_VERSION" ]
}

build_image() {
  [ -x /bin/busybox ] || { log "/bin/busybox is missing"; return 1; }
  local root
  root=$(mktemp -d /tmp/tscompose-rootfs.XXXXXX)
  ROOTFS_TMP=$root
  mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,root,home,tmp,var/tmp,var/www,proc,sys,dev}
  chmod 1777 "$root/tmp" "$root/var/tmp"
  cp /bin/busybox "$root/bin/busybox"
  # Symlinks for every applet at its usual place (/bin, /sbin, /usr/bin, /usr/sbin).
  chroot "$root" /bin/busybox --install -s || return 1
  [ -e "$root/bin/sh" ] || ln -s busybox "$root/bin/sh"
  printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' 'daemon:x:1:1:daemon:/usr/sbin:/bin/false' \
    'nobody:x:65534:65534:nobody:/home:/bin/false' >"$root/etc/passwd"
  printf '%s\n' 'root:x:0:' 'daemon:x:1:' 'nogroup:x:65534:' >"$root/etc/group"
  printf 'hosts: files dns\n' >"$root/etc/nsswitch.conf"
  printf 'tscompose busybox test image\n' >"$root/var/www/index.html"
  # /etc/hosts, /etc/resolv.conf and /etc/hostname are provided by the engine at run time.
  tar -C "$root" --numeric-owner -c . |
    docker import \
      --change 'CMD ["sh"]' \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change "LABEL tscompose.rootfs-version=$ROOTFS_VERSION" \
      - "$IMAGE" >/dev/null || return 1
  rm -rf "$root"; ROOTFS_TMP=
  log "imported $IMAGE"
}

ensure_image_and_verify() {
  if ! image_ok; then
    build_image || { log "building $IMAGE failed"; return 1; }
  fi
  local out
  out=$(timeout 60 docker run --rm "$IMAGE" echo ok 2>&1) || { log "docker run failed: $out"; return 1; }
  [ "$out" = ok ] || { log "docker run printed: $out"; return 1; }
}

done_ok() { log "ok (engine API $(docker version --format '{{.Server.APIVersion}}'))"; exit 0; }

# ---------------------------------------------------------------- main
if [ "$START_DOCKERD" = 0 ]; then
  ensure_image_and_verify || die "the engine answers but cannot run $IMAGE"
  done_ok
fi

need_root "starting dockerd"
pid=$(pgrep -x dockerd | head -n1 || true)
if [ -n "$pid" ]; then
  # A dockerd runs but does not answer (yet): still starting, or wedged. Don't start a second.
  log "dockerd (pid $pid) is running but not answering yet; waiting up to ${ENGINE_WAIT}s"
  wait_for_engine "$pid" || { show_log 30; die "dockerd (pid $pid) does not answer; see $DOCKERD_LOG"; }
  ensure_image_and_verify || die "the engine answers but cannot run $IMAGE"
  done_ok
fi

ensure_cgroups
choose_iptables
tried=()
while IFS= read -r -u 3 flags; do
  for t in "${tried[@]+"${tried[@]}"}"; do [ "$t" != "$flags" ] || continue 2; done
  tried+=("$flags")
  # shellcheck disable=SC2086  # word-splitting the flag set is intended
  start_dockerd $flags
  if wait_for_engine "$DOCKERD_PID" && ensure_image_and_verify; then
    printf '%s\n' "$flags" >"$FLAGS_FILE"
    [ -z "$flags" ] || log "dockerd runs with: $flags"
    done_ok
  fi
  log "dockerd with flags '$flags' does not work here:"
  show_log 8
  stop_dockerd "$DOCKERD_PID"
done 3< <(dockerd_attempts)
die "no dockerd flag set worked (tried ${#tried[@]}); see $DOCKERD_LOG"
