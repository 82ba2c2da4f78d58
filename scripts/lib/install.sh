# Shared install steps for scripts/*.sh. Sourced, not run.

PNPM_VERSION="$(node -p "require('./package.json').packageManager.split('@')[1]")"

# Makes the pnpm version pinned in package.json's packageManager the one on PATH. Without it, it
# installs that version into ./.tools (no root and no global npm prefix needed).
install_pnpm() {
  export PATH="$PWD/.tools/node_modules/.bin:$PATH"
  if [ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
    npm install --prefix .tools --no-save --no-fund --no-audit --loglevel=error "pnpm@$PNPM_VERSION"
  fi
}

# As root, installs the Debian tools the network suite uses when they are missing: ip and nft
# (network namespaces, partitions) and chromium (the live ring page test drives it headless).
install_system_packages() {
  if command -v ip >/dev/null && command -v nft >/dev/null && command -v chromium >/dev/null; then return 0; fi
  if [ "$(id -u)" != 0 ]; then
    echo "install.sh: not root; cannot install iproute2/nftables/chromium (the network suite will fail)" >&2
    return 0
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends iproute2 nftables chromium >/dev/null
}
