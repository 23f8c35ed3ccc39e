#!/usr/bin/env bash
# Set-up on a fresh machine: a Docker Engine and the image the example uses, npm packages and
# the build, so that ./bin/tscompose works and can bring examples/demo up.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/provision-engine.sh
npm ci --no-audit --no-fund
npm run --silent build
