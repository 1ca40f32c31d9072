#!/usr/bin/env bash
# Makes a Node.js that the OpenAPI linter (@redocly/cli 2.x) accepts available and prints the
# directory to put first on PATH for it: that directory holds `node` and `npx`. Redocly's
# engines field asks for Node 20.19+ on the 20 line or 22.12+; Debian 12 ships 18.19, so a
# fresh Debian 12 machine needs more than apt. In order:
#
#   1. `node` on PATH is new enough and `npx` is beside it: print its directory.
#   2. a Node fetched by step 4 earlier (in $HOOKKIT_NODE_DIR): print its directory.
#   3. no npm at all, and we are root with apt-get: install Debian's nodejs and npm (Debian
#      13 ships Node 20.19), then try step 1 again.
#   4. npm is there but Node is too old: fetch Node from the npm registry (node-linux-<arch>,
#      the binary package behind the registry's `node` package) and npm 10 into
#      $HOOKKIT_NODE_DIR with that npm, and print the directory of their commands.
#   5. otherwise fail, saying what to install.
#
# Messages go to stderr; stdout carries only the directory. scripts/ensure_node_test.go runs
# this script against stub node, npx, npm, apt-get and id commands, one scenario per branch.
set -euo pipefail

NODE_VERSION=22.22.0 # the Node fetched in step 4 (an LTS line that Redocly accepts)
NPM_VERSION=10.9.4   # Redocly asks for npm >= 10; Debian 12's is 9
NODE_DIR=${HOOKKIT_NODE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/hookkit/node-$NODE_VERSION}

say() { echo "ensure-node: $*" >&2; }

# accepted VERSION: whether @redocly/cli's engines range (>=20.19.0 <21 || >=22.12.0) holds.
accepted() {
  [[ $1 =~ ^v?([0-9]+)\.([0-9]+)\. ]] || return 1
  local major=${BASH_REMATCH[1]} minor=${BASH_REMATCH[2]}
  ((major == 20 && minor >= 19)) || ((major == 22 && minor >= 12)) || ((major > 22))
}

# usable DIR: DIR has a node that Redocly accepts and an npx.
usable() {
  [ -x "$1/node" ] && [ -x "$1/npx" ] && accepted "$("$1/node" --version 2>/dev/null || true)"
}

# system_dir: the directory of the node on PATH, if it is usable.
system_dir() {
  local node
  node=$(command -v node 2>/dev/null) || return 1
  usable "${node%/*}" && echo "${node%/*}"
}

# describe_node: the node on PATH and its version, for messages.
describe_node() {
  if command -v node >/dev/null 2>&1; then
    echo "node $(node --version 2>/dev/null || echo "(unknown version)") at $(command -v node)"
  else
    echo "no node"
  fi
}

if dir=$(system_dir); then
  echo "$dir"
  exit 0
fi
if usable "$NODE_DIR/node_modules/.bin"; then
  echo "$NODE_DIR/node_modules/.bin"
  exit 0
fi

have_node=$(describe_node)
if ! command -v npm >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  say "$have_node; installing Debian's nodejs and npm with apt-get"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
  if dir=$(system_dir); then
    echo "$dir"
    exit 0
  fi
  have_node="Debian's $(describe_node)"
fi

if command -v npm >/dev/null 2>&1; then
  case $(uname -m) in
  x86_64 | amd64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *)
    say "$have_node is older than @redocly/cli accepts, and the npm registry has no Node binary for $(uname -m): install Node.js >= 20.19"
    exit 1
    ;;
  esac
  say "$have_node is older than @redocly/cli accepts (>= 20.19 on 20.x, or >= 22.12); fetching node $NODE_VERSION and npm $NPM_VERSION from the npm registry into $NODE_DIR"
  mkdir -p "$NODE_DIR"
  npm install --prefix "$NODE_DIR" --no-save --no-audit --no-fund --loglevel=error \
    "node-linux-$arch@$NODE_VERSION" "npm@$NPM_VERSION" >&2
  if usable "$NODE_DIR/node_modules/.bin"; then
    echo "$NODE_DIR/node_modules/.bin"
    exit 0
  fi
  say "the node fetched into $NODE_DIR does not run"
  exit 1
fi

say "npx (Node.js >= 20.19) is required to lint the OpenAPI documents, and there is $have_node and no npm: install Node.js >= 20.19 (or run as root on Debian, where this script installs it)"
exit 1
