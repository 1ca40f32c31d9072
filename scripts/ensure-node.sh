#!/usr/bin/env bash
# Makes sure npx (Node.js) is available for the OpenAPI linter. On a fresh Debian machine
# where we are root it installs Node.js with apt; elsewhere it says what is missing.
set -euo pipefail
command -v npx >/dev/null 2>&1 && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-node: npx not found; installing nodejs and npm with apt-get" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
  command -v npx >/dev/null 2>&1 && exit 0
fi
echo "ensure-node: npx (Node.js >= 20.19) is required to lint the OpenAPI documents; install Node.js" >&2
exit 1
