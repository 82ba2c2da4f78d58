#!/usr/bin/env bash
# Installs everything this repository needs on a fresh machine that has only Node.js and npm,
# then runs every test: type-check, lint, unit suites (real libp2p on loopback) and the network
# suite (real mDNS between network namespaces; needs root to create them).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/install.sh
install_pnpm
install_system_packages
pnpm install --frozen-lockfile
pnpm test
