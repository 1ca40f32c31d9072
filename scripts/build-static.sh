#!/bin/sh
# Builds the static hookkit binary that the container image ships: no cgo (so it runs on a
# distroless or scratch base without a C library), no file system paths in the binary
# (-trimpath), symbols stripped, and the version stamped with -ldflags because the image's
# build context has no .git for Go's own VCS stamping. The Dockerfile runs this script, and
# cmd/hookkit's TestContainerBuild runs the same script and then the binary, so the image's
# build flags are tested where there is no Docker engine.
#
# usage: scripts/build-static.sh OUTPUT [VERSION]
set -eu
out=${1:?usage: scripts/build-static.sh OUTPUT [VERSION]}
version=${2:-devel}
cd "$(dirname "$0")/.."
CGO_ENABLED=0 exec go build -trimpath -buildvcs=false -ldflags "-s -w -X main.version=$version" -o "$out" ./cmd/hookkit
