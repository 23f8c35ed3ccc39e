#!/usr/bin/env bash
# Set-up on a fresh machine: npm packages and the build, so that ./bin/tscompose works.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund
npm run --silent build
