#!/usr/bin/env bash
# Provision the local registry the registry-auth tests push to and pull from (called by
# scripts/test.sh): Debian's docker-registry (distribution 2.8) on 127.0.0.1:5000, plain HTTP,
# htpasswd basic auth (realm tscompose-test) with the fixed test account below, filesystem
# storage under /var/lib/tscompose-registry, and a config of its own (not /etc/docker/registry).
# Plain HTTP is enough: dockerd treats 127.0.0.0/8 registries as insecure by default, and the
# registry serves htpasswd auth without TLS (it only warns in its log).
# Idempotent and serialised (flock), ~20 ms when it is already up. Messages go to stderr,
# prefixed "provision-registry: ". A registry started here keeps running after the script exits.
# test/helpers/registry.ts holds the same address and credentials.
set -euo pipefail

ADDRESS=127.0.0.1:5000
REALM=tscompose-test
USERNAME=tscompose-ci
PASSWORD=reg-Secret-7b3f9e
STATE_DIR=/var/lib/tscompose-registry
CONFIG=$STATE_DIR/config.yml
HTPASSWD=$STATE_DIR/htpasswd
PID_FILE=$STATE_DIR/registry.pid
LOG=/var/log/tscompose-registry.log
WAIT_SECONDS=10

log() { echo "provision-registry: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# /v2/ answers 401 without credentials and 200 with ours: that is our registry, up and current.
status_of() { curl -s -o /dev/null -m 2 -w '%{http_code}' "$@" "http://$ADDRESS/v2/" || true; }
registry_up() { [ "$(status_of)" = 401 ] && [ "$(status_of -u "$USERNAME:$PASSWORD")" = 200 ]; }

registry_up && exit 0

[ "$(id -u)" = 0 ] || die "starting the registry needs root"
mkdir -p "$STATE_DIR"
exec 9>>"$STATE_DIR/provision.lock"
flock -w 120 9 || die "another provision-registry.sh has held $STATE_DIR/provision.lock for 2 min"
registry_up && exit 0

# ---------------------------------------------------------------- packages
pkgs=()
command -v docker-registry >/dev/null 2>&1 || pkgs+=(docker-registry)
command -v htpasswd >/dev/null 2>&1 || pkgs+=(apache2-utils)
if [ "${#pkgs[@]}" -gt 0 ]; then
  log "installing Debian's ${pkgs[*]}"
  # docker-registry's postinst would start its own registry on :5000 (no auth, /etc config).
  policy_created=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    policy_created=1
  fi
  rc=0
  { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${pkgs[@]}" ||
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${pkgs[@]}"; }; } >/dev/null || rc=$?
  [ "$policy_created" = 0 ] || rm -f /usr/sbin/policy-rc.d
  [ "$rc" = 0 ] || die "apt-get install ${pkgs[*]} failed (exit $rc)"
fi

# ---------------------------------------------------------------- stop a stale one of ours
# A zombie still has its /proc entry (init here reaps a dead orphan only after a second or two).
registry_alive() { [ "$(ps -o stat= -o comm= -p "$1" 2>/dev/null | awk '$1 !~ /^Z/ {print $2}')" = docker-registry ]; }

# Ours but not answering as expected (older credentials, wedged): replace it.
if [ -s "$PID_FILE" ] && old=$(cat "$PID_FILE") && registry_alive "$old"; then
  log "restarting the registry (pid $old): it does not answer as expected"
  kill -TERM "$old" 2>/dev/null || true
  for _ in $(seq 1 50); do registry_alive "$old" || break; sleep 0.1; done
fi
[ "$(status_of)" = 000 ] || die "something else answers at http://$ADDRESS/v2/ (HTTP $(status_of)); free port 5000 for the test registry"

# ---------------------------------------------------------------- config, start, wait
mkdir -p "$STATE_DIR/data"
htpasswd -Bbn "$USERNAME" "$PASSWORD" >"$HTPASSWD.tmp"
mv "$HTPASSWD.tmp" "$HTPASSWD"
cat >"$CONFIG" <<EOF
# Written by scripts/provision-registry.sh; rewritten on every start.
version: 0.1
log:
  level: info
storage:
  filesystem:
    rootdirectory: $STATE_DIR/data
  delete:
    enabled: true
http:
  addr: $ADDRESS
  # Fixed, so the log holds no warning about a generated one (it signs upload state only).
  secret: tscompose-test-registry
auth:
  htpasswd:
    realm: $REALM
    path: $HTPASSWD
EOF

mkdir -p "$(dirname "$LOG")"
touch "$LOG"
log_offset=$(stat -c %s "$LOG")
echo "=== $(date -Is) provision-registry.sh: docker-registry serve $CONFIG" >>"$LOG"
# setsid+nohup: own session, so it outlives this script; 9>&-: don't hand it the lock.
setsid nohup docker-registry serve "$CONFIG" </dev/null >>"$LOG" 2>&1 9>&- &
pid=$!
echo "$pid" >"$PID_FILE"

deadline=$((SECONDS + WAIT_SECONDS))
while [ "$SECONDS" -lt "$deadline" ]; do
  if registry_up; then
    log "started the registry (pid $pid) at http://$ADDRESS; log: $LOG"
    exit 0
  fi
  registry_alive "$pid" || break
  sleep 0.2
done
registry_alive "$pid" && reason="does not answer 401/200 at http://$ADDRESS/v2/ within ${WAIT_SECONDS}s" || reason="exited"
log "the registry (pid $pid) $reason; its log:"
tail -c +"$((log_offset + 1))" "$LOG" | tail -n 15 | sed 's/^/provision-registry:   /' >&2
die "no test registry at $ADDRESS; see $LOG"
