#!/usr/bin/env bash
# Installs what the demo needs on a fresh machine that has only Node.js (20 or later) and npm
# (Node.js 24 into ./.tools when the system's is older than 22, pnpm, the workspace dependencies),
# then runs it: three agent processes on this host over loopback (mDNS off), the split, one agent
# stopped gracefully, the re-split. Exits 0 when the demo succeeded.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/install.sh
install_node
install_pnpm
pnpm install --frozen-lockfile
pnpm demo
