#!/usr/bin/env bash
# make smoke: the newcomer's path, as the README tells it. Clones the committed HEAD of this
# repository into a temp dir and runs there, as bash commands exactly as written, the first
# paragraph (up to the first blank line) of each README block marked <!-- smoke:NAME -->:
#
#   install  make install, PATH, hookkit version: must name the commit (a revision)
#   tour     the first request to the mock: must create the hook
#   check    hookkit check against the mock: every case must pass
#   admin    the admin API examples (journal, config upload, reset): each must succeed
#
# The mock for tour, check and admin is `hookkit mock` started as the README says, but on
# a free port chosen by the OS (--addr 127.0.0.1:0), and the README's 127.0.0.1:4010 in
# those blocks is replaced by the bound address: tests never take a fixed port. Go's build
# and module caches are the machine's; GOPATH (where make install puts hookkit) is temporary.
set -euo pipefail

src=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)
head=$(git -C "$src" rev-parse HEAD)
if [ -n "$(git -C "$src" status --porcelain --untracked-files=no)" ]; then
  echo "smoke: uncommitted changes are not in the clone; testing commit ${head:0:12}" >&2
fi
tmp=$(mktemp -d)
mock_pid=
cleanup() {
  if [ -n "$mock_pid" ]; then kill "$mock_pid" 2>/dev/null || true; wait "$mock_pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() {
  echo "smoke: $*" >&2
  exit 1
}

git clone -q "$src" "$tmp/hookkit"
cd "$tmp/hookkit"
git checkout -q "$head"
export GOMODCACHE=${GOMODCACHE:-$(go env GOMODCACHE)} GOCACHE=${GOCACHE:-$(go env GOCACHE)}
export GOPATH=$tmp/gopath
unset GOBIN
# The installed hookkit must be the one the README's PATH line finds, not an older one.
PATH=$(printf '%s' "$PATH" | tr ':' '\n' | while read -r d; do [ -x "$d/hookkit" ] || printf '%s:' "$d"; done)
export PATH=${PATH%:}

# block NAME: the first paragraph of the ```sh block after <!-- smoke:NAME --> in README.md.
block() {
  awk -v marker="<!-- smoke:$1 -->" '
    $0 == marker { found = 1; next }
    found && !open && /^```sh$/ { open = 1; next }
    open && (/^```$/ || /^$/) { exit }
    open { print }
  ' README.md
}
for name in install tour check admin; do
  [ -n "$(block "$name")" ] || fail "README.md has no \`\`\`sh block after <!-- smoke:$name -->"
done

step() {
  echo "smoke: $1" >&2
  shift
  printf '%s\n' "$@" | sed 's/^/    /' >&2
}

# install, in the shell that runs the rest, so its PATH holds.
step "install (README, as written)" "$(block install)"
out=$(eval "$(block install)" 2>&1) || fail "the install block failed:"$'\n'"$out"
eval "$(block install | grep '^export ')"
version=$(printf '%s\n' "$out" | grep '^hookkit ') || fail "hookkit version printed nothing:"$'\n'"$out"
echo "smoke: $version" >&2
case $version in
*"commit ${head:0:12}"* | "hookkit ${head:0:7}"*) ;;
*) fail "hookkit version does not name commit ${head:0:12}: $version" ;;
esac

# the mock, as the README starts it, on a free port
hookkit mock --addr 127.0.0.1:0 >"$tmp/mock.out" 2>"$tmp/mock.err" &
mock_pid=$!
addr=
for _ in $(seq 100); do
  addr=$(sed -n 's|^hookkit mock listening on http://||p' "$tmp/mock.out")
  [ -n "$addr" ] && break
  kill -0 "$mock_pid" 2>/dev/null || fail "hookkit mock exited: $(cat "$tmp/mock.err")"
  sleep 0.1
done
[ -n "$addr" ] || fail "hookkit mock printed no address in 10 s: $(cat "$tmp/mock.out" "$tmp/mock.err")"
at() { block "$1" | sed "s|127\.0\.0\.1:4010|$addr|g"; }

step "tour (README, on $addr)" "$(at tour)"
out=$(eval "$(at tour)") || fail "the tour failed: $out"
[[ $out == *'"callback_url":"https://example.com/webhook"'* ]] || fail "the tour's request did not create a hook: $out"

step "check (README, on $addr)" "$(at check)"
out=$(eval "$(at check)" 2>&1) || fail "hookkit check failed:"$'\n'"$out"
[[ $out == *", 0 failed"* ]] || fail "hookkit check: $out"
printf '%s\n' "$out" | tail -1 >&2

step "admin (README, on $addr)" "$(at admin)"
out=$(eval "$(at admin)") || fail "the admin examples failed: $out"
# Their effects: the uploaded example config is in effect (a missing file would have sent an
# empty body), and the reset emptied the journal.
config=$(curl -sS "http://$addr/__admin/config")
[[ $config == *my-gitlab-auth* ]] || fail "PUT /__admin/config did not install mockserver/config.example.yaml: $out"$'\n'"GET /__admin/config: $config"
journal=$(curl -sS "http://$addr/__admin/requests")
[[ $journal != *createProjectHook* ]] || fail "POST /__admin/reset did not clear the journal: $journal"

echo "smoke: passed (install, version, tour, check, admin) on a fresh clone of ${head:0:12}" >&2
