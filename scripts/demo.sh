#!/usr/bin/env bash
# Installs what the demo needs on a fresh machine that has only Node.js and npm (pnpm and the
# workspace dependencies), then runs it: three agent processes on this host over loopback (mDNS
# off), the split, one agent stopped gracefully, the re-split. Exits 0 when the demo succeeded.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/install.sh
install_pnpm
pnpm install --frozen-lockfile
pnpm demo
