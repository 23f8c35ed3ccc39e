#!/usr/bin/env bash
# Test engines for the swarm tests: dockerds of our own, each in a network namespace this script
# creates, so that the shared engine at /var/run/docker.sock never sees a swarm.
#
#   swarm-test-engines.sh up [NODES]   start NODES (1 or 2, default 2) engines; node 1 inits a
#                                      swarm, node 2 joins it as a worker; prints KEY=VALUE lines
#   swarm-test-engines.sh down         stop them and remove everything `up` made
#
# Layout (private subnets, traffic only between these namespaces and the host's veth end):
#   host  tscsw-h  10.213.1.1/24  <-veth->  tscsw1 host0 10.213.1.2/24
#   tscsw1 eth0    10.213.0.1/24  <-veth->  tscsw2 eth0  10.213.0.2/24   (two nodes: swarm and VXLAN)
# One node advertises 10.213.1.2. The namespaces have no default route: nothing leaves them.
# Engine N: socket unix:///run/tscompose-swarm/nN.sock, data /var/lib/tscompose-swarm/nN,
# exec-root /run/tscompose-swarm/nN.exec, log /run/tscompose-swarm/nN.log, its own containerd.
# The test image tscompose/busybox:latest is copied from the main engine (docker save | load).
set -euo pipefail
export PATH="$PATH:/usr/sbin:/sbin"

RUN=/run/tscompose-swarm
DATA=/var/lib/tscompose-swarm
IMAGE=tscompose/busybox:latest
WAIT=${TSCOMPOSE_SWARM_WAIT:-90}

log() { echo "swarm-test-engines: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root (network namespaces, dockerd)"

mkdir -p "$RUN"
exec 9>>"$RUN.lock"
flock -w 300 9 || die "another swarm-test-engines.sh holds $RUN.lock"

sock() { echo "unix://$RUN/n$1.sock"; }
dk() { local n=$1; shift; docker -H "$(sock "$n")" "$@"; }

stop_node() {
  local n=$1 pidfile=$RUN/n$1.launched pid i
  [ -s "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    # Leave the swarm first so that nothing of it survives in the data root we delete anyway.
    timeout 20 docker -H "$(sock "$n")" swarm leave --force >/dev/null 2>&1 || true
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile" "$RUN/n$n.pid"
}

down() {
  local n
  for n in 2 1; do stop_node "$n"; done
  # Containers of a killed dockerd may leave mounts under its roots.
  for n in 1 2; do
    { grep -oE " ($DATA/n$n|$RUN/n$n\.exec)[^ ]*" /proc/mounts || true; } | sort -r |
      while read -r m; do umount -l "$m" 2>/dev/null || true; done
  done
  ip link del tscsw-h 2>/dev/null || true
  for n in 1 2; do ip netns del "tscsw$n" 2>/dev/null || true; done
  rm -rf "$DATA" "$RUN"/n*.exec "$RUN"/n*.sock "$RUN"/n*.log "$RUN"/n*.json "$RUN"/env
  rmdir "$RUN" 2>/dev/null || true
}

start_node() {
  local n=$1
  mkdir -p "$DATA/n$n" "$RUN/n$n.exec"
  # A config of its own: the host's /etc/docker/daemon.json (hosts, data-root…) is not for these.
  echo '{}' >"$RUN/n$n.json"
  # nsenter, not `ip netns exec`: that one mounts a fresh /sys, which hides the cgroup mounts.
  setsid nohup nsenter --net="/run/netns/tscsw$n" dockerd \
    --host="$(sock "$n")" --data-root="$DATA/n$n" --exec-root="$RUN/n$n.exec" \
    --pidfile="$RUN/n$n.pid" --config-file="$RUN/n$n.json" --bip="172.31.24$n.1/24" \
    --default-address-pool "base=10.214.$((n * 16)).0/20,size=24" \
    </dev/null >"$RUN/n$n.log" 2>&1 9>&- &
  echo $! >"$RUN/n$n.launched"
}

wait_node() {
  local n=$1 deadline=$((SECONDS + WAIT))
  until docker -H "$(sock "$n")" version --format '{{.Server.APIVersion}}' >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$deadline" ] || ! kill -0 "$(cat "$RUN/n$n.launched")" 2>/dev/null; then
      tail -n 5 "$RUN/n$n.log" >&2
      die "engine $n (dockerd in netns tscsw$n) did not answer within ${WAIT}s; log: $RUN/n$n.log"
    fi
    sleep 0.3
  done
}

up() {
  local nodes=${1:-2} n token
  case "$nodes" in 1|2) ;; *) die "NODES must be 1 or 2" ;; esac
  down
  docker image inspect "$IMAGE" >/dev/null 2>&1 || die "$IMAGE missing on the main engine (scripts/provision-engine.sh makes it)"
  for n in $(seq 1 "$nodes"); do
    ip netns add "tscsw$n"
    ip -n "tscsw$n" link set lo up
  done
  ip link add tscsw-h type veth peer name host0 netns tscsw1
  ip addr add 10.213.1.1/24 dev tscsw-h && ip link set tscsw-h up
  ip -n tscsw1 addr add 10.213.1.2/24 dev host0 && ip -n tscsw1 link set host0 up
  # Node 1 advertises its address on the link to node 2, or alone its address on the host link.
  local advertise=10.213.1.2
  if [ "$nodes" = 2 ]; then
    ip -n tscsw1 link add eth0 type veth peer name eth0 netns tscsw2
    for n in 1 2; do
      ip -n "tscsw$n" addr add "10.213.0.$n/24" dev eth0
      ip -n "tscsw$n" link set eth0 up
    done
    advertise=10.213.0.1
  fi
  for n in $(seq 1 "$nodes"); do start_node "$n"; done
  for n in $(seq 1 "$nodes"); do
    wait_node "$n"
    docker save "$IMAGE" | dk "$n" load >/dev/null
  done
  dk 1 swarm init --advertise-addr "$advertise" >/dev/null
  if [ "$nodes" = 2 ]; then
    token=$(dk 1 swarm join-token -q worker)
    dk 2 swarm join --token "$token" --advertise-addr 10.213.0.2 10.213.0.1:2377 >/dev/null
  fi
  {
    echo "SWARM_MANAGER_HOST=$(sock 1)"
    [ "$nodes" != 2 ] || echo "SWARM_WORKER_HOST=$(sock 2)"
    echo "SWARM_HOST_REACHES=10.213.1.2"
  } | tee "$RUN/env"
}

case "${1:-}" in
  up) up "${2:-2}" ;;
  down) down ;;
  *) die "usage: $0 up [1|2] | down" ;;
esac
