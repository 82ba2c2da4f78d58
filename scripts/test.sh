#!/usr/bin/env bash
# Installs everything this repository needs on a fresh machine that has only Node.js (20 or later)
# and npm: Node.js 24 into ./.tools when the system's Node is older, Node.js 22 beside it for the
# consumer test, pnpm, the dependencies. Then it runs every test on Node 24: build, type-check,
# lint, API reference, unit suites (real libp2p on loopback), the consumer test (the packed
# tarballs installed with npm outside the workspace, on Node 22 and 24) and the network suite
# (real mDNS between network namespaces; needs root to create them).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/install.sh
install_node 24
install_node_release "$NODE_VERSION_22" >/dev/null
install_pnpm
install_system_packages
pnpm install --frozen-lockfile
pnpm test
