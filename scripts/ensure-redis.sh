#!/usr/bin/env bash
# Makes sure redis-server is available for the tests of the Redis state store and of mock
# replicas sharing state. On a fresh Debian machine where we are root it installs the
# redis-server package with apt (the tests start their own server on a free port; the
# package's system service is not used); elsewhere it says what is missing.
set -euo pipefail
command -v redis-server >/dev/null 2>&1 && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-redis: redis-server not found; installing it with apt-get" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  command -v redis-server >/dev/null 2>&1 && exit 0
fi
echo "ensure-redis: redis-server is required by the tests; install it (Debian: apt-get install redis-server)" >&2
exit 1
