#!/usr/bin/env bash
# The test command (README, .ci/run): on a fresh machine it provisions everything the tests
# need — Docker Engine, the test image, npm packages — then builds and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/provision-engine.sh
bash scripts/provision-registry.sh
# Graphviz checks the DOT that `tscompose graph` draws.
if ! command -v dot >/dev/null 2>&1; then
  echo "test: installing Debian's graphviz" >&2
  { apt-get install -y -qq --no-install-recommends graphviz || { apt-get update -qq && apt-get install -y -qq --no-install-recommends graphviz; }; } >/dev/null
fi
# The swarm tests start dockerds of their own in network namespaces (scripts/swarm-test-engines.sh):
# they need dockerd (docker.io) even when the engine the tests use runs elsewhere, ip and nsenter.
swarm_pkgs=()
command -v dockerd >/dev/null 2>&1 || swarm_pkgs+=(docker.io)
command -v ip >/dev/null 2>&1 || swarm_pkgs+=(iproute2)
command -v nsenter >/dev/null 2>&1 || swarm_pkgs+=(util-linux)
if [ "${#swarm_pkgs[@]}" -gt 0 ]; then
  echo "test: installing Debian's ${swarm_pkgs[*]} for the swarm tests" >&2
  # As provision-engine.sh does: keep docker.io's postinst from starting a dockerd of its own.
  policy_created=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && policy_created=1; fi
  { apt-get install -y -qq --no-install-recommends "${swarm_pkgs[@]}" || { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${swarm_pkgs[@]}"; }; } >/dev/null
  [ "$policy_created" = 0 ] || rm -f /usr/sbin/policy-rc.d
fi
# npm ci when node_modules is missing or older than the lock file.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
# The jest example (examples/testing/jest) has jest as its own devDependency.
if [ ! -f examples/testing/jest/node_modules/.package-lock.json ] || [ examples/testing/jest/package-lock.json -nt examples/testing/jest/node_modules/.package-lock.json ]; then
  npm ci --prefix examples/testing/jest --no-audit --no-fund
fi
npm run --silent build
# The tests are TypeScript too: a test that no longer type-checks against the code fails the run.
npm run --silent typecheck
mkdir -p .cache
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=.cache/vitest.json "$@" || status=$?
# A closing line in the plain form CI reads: "tests: N passed, N failed".
node -e '
  const r = JSON.parse(require("fs").readFileSync(".cache/vitest.json", "utf8"));
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
' || true
exit "$status"
