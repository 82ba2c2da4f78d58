# Shared install steps for scripts/*.sh. Sourced, not run.

PNPM_VERSION="$(node -p "require('./package.json').packageManager.split('@')[1]")"

# The Node.js LTS lines this project supports and the exact releases installed when the system's
# Node is older (from the npm registry: node-linux-<arch> carries the official binary).
NODE_MIN_MAJOR=22
NODE_VERSION_24=24.21.0
NODE_VERSION_22=22.23.3

# Installs Node.js release $1 (e.g. 24.21.0) into ./.tools/node$MAJOR unless it is there already,
# and prints its bin folder. Linux on x64 or arm64 only (the registry's node-linux-* packages).
install_node_release() {
  local version="$1" major="${1%%.*}" arch
  case "$(uname -m)" in
    x86_64) arch=x64 ;;
    aarch64) arch=arm64 ;;
    *) echo "install.sh: no node-linux package for $(uname -m); install Node.js >= $NODE_MIN_MAJOR yourself" >&2; return 1 ;;
  esac
  local dir="$PWD/.tools/node$major" bin="$PWD/.tools/node$major/node_modules/node-linux-$arch/bin"
  if [ "$("$bin/node" --version 2>/dev/null || true)" != "v$version" ]; then
    npm install --prefix "$dir" --no-save --no-fund --no-audit --loglevel=error "node-linux-$arch@$version" >&2
  fi
  echo "$bin"
}

# Puts Node.js 24 first on PATH when the system's Node is older than major $1 (default 22, the
# oldest supported LTS line): installed into ./.tools/node24 and linked as ./.tools/bin/node, so
# `export PATH=$PWD/.tools/bin:$PATH` brings it back in another shell. scripts/test.sh asks for
# 24, so CI runs every suite on Node 24.
install_node() {
  local min="${1:-$NODE_MIN_MAJOR}" major
  export PATH="$PWD/.tools/bin:$PATH"
  major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
  if [ "$major" -ge "$min" ]; then return 0; fi
  local bin
  bin="$(install_node_release "$NODE_VERSION_24")"
  mkdir -p .tools/bin
  ln -sfn "../${bin#"$PWD/.tools/"}/node" .tools/bin/node
}

# Makes the pnpm version pinned in package.json's packageManager the one on PATH. Without it, it
# installs that version into ./.tools (no root and no global npm prefix needed). Call it after
# install_node, so that pnpm runs on that Node.
install_pnpm() {
  export PATH="$PWD/.tools/node_modules/.bin:$PATH"
  if [ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
    npm install --prefix .tools --no-save --no-fund --no-audit --loglevel=error "pnpm@$PNPM_VERSION"
  fi
}

# As root, installs the Debian tools the network suite uses (ip, nft) when they are missing.
install_system_packages() {
  if command -v ip >/dev/null && command -v nft >/dev/null; then return 0; fi
  if [ "$(id -u)" != 0 ]; then
    echo "install.sh: not root; cannot install iproute2/nftables (the network suite will fail)" >&2
    return 0
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends iproute2 nftables >/dev/null
}
