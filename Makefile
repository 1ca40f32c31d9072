# hookkit's build. The README's two commands, `make run` and `make test`, do all set-up on a
# fresh machine with Go 1.26: Go fetches modules and tools (oapi-codegen, bombardier) itself;
# the document linter runs through npx (scripts/ensure-node.sh installs a Node that Redocly
# accepts when the system has none or an older one).

GO        ?= go
ADDR      ?= 127.0.0.1:4010
BIN       := bin/hookkit
REDOCLY   := @redocly/cli@2.77.0
# VERSION names the build in `hookkit version`: the git tag, else the short commit, with
# -dirty for uncommitted changes. Stamped with -ldflags, so it holds even where Go's own VCS
# stamping is off (GOFLAGS=-buildvcs=false, a container build without .git).
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo devel)
LDFLAGS   := -X main.version=$(VERSION)
IMAGE     ?= hookkit
SPECS     := openapi/hooks.yaml $(wildcard mockserver/testdata/*.yaml)

.PHONY: run build install image smoke test generate check-generated fmt-check vet lint lint-spec unit bench bench-smoke fuzz-smoke clean

## run: start the mock server on the embedded hook document at $(ADDR)
run: build
	$(BIN) mock --addr $(ADDR)

## build: compile bin/hookkit, stamped with $(VERSION)
build:
	$(GO) build -buildvcs=auto -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/hookkit

## install: go install ./cmd/hookkit, stamped with $(VERSION), into $(go env GOPATH)/bin (or GOBIN)
install:
	$(GO) install -buildvcs=auto -ldflags '$(LDFLAGS)' ./cmd/hookkit
	@bin=$$($(GO) env GOBIN); bin=$${bin:-$$($(GO) env GOPATH | cut -d: -f1)/bin}; \
	echo "installed $$bin/hookkit ($(VERSION))"; \
	case ":$$PATH:" in *":$$bin:"*) ;; *) echo "$$bin is not on your PATH: export PATH=\"$$bin:\$$PATH\"";; esac

## image: build the container image (needs Docker): $(IMAGE):$(VERSION) and $(IMAGE):latest
image:
	docker build --build-arg VERSION=$(VERSION) -t $(IMAGE):$(VERSION) -t $(IMAGE):latest .

## smoke: clone this repository into a temp dir and run the README's install and first
## commands there exactly as written (the committed HEAD: commit first)
smoke:
	@scripts/smoke.sh

## test: everything CI checks: formatting, vet, generated-code drift, document lint,
## benchmark smoke run, README smoke run on a fresh clone, race tests, brief fuzzing
test: fmt-check vet check-generated lint-spec bench-smoke smoke fuzz-smoke unit

## generate: regenerate generated/ from openapi/hooks.yaml with the pinned oapi-codegen
generate:
	$(GO) generate ./generated

## check-generated: fail when generated/ differs from a fresh generation of the document
check-generated:
	@tmp=$$(mktemp -d) && trap 'rm -rf $$tmp' EXIT && \
	$(GO) tool oapi-codegen -config generated/oapi-codegen.yaml -o $$tmp/hooks.gen.go openapi/hooks.yaml && \
	if ! diff -u generated/hooks.gen.go $$tmp/hooks.gen.go; then \
		echo "generated/hooks.gen.go is out of date with openapi/hooks.yaml: run 'make generate' and commit the result" >&2; exit 1; \
	fi

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt: these files need formatting:" >&2; echo "$$out" >&2; exit 1; fi

vet:
	$(GO) vet ./...

## lint: Go vet and formatting plus the OpenAPI lint of every document we ship
lint: fmt-check vet lint-spec

# scripts/ensure-node.sh prints the directory of a Node that Redocly accepts (the system's,
# else one it installs), which goes first on PATH for npx.
lint-spec:
	@node_bin=$$(scripts/ensure-node.sh) && echo "npx --yes $(REDOCLY) lint --config openapi/redocly.yaml $(SPECS)  # node from $$node_bin" && \
	PATH="$$node_bin:$$PATH" npx --yes $(REDOCLY) lint --config openapi/redocly.yaml $(SPECS)

unit:
	@scripts/ensure-redis.sh
	$(GO) test -race -count=1 ./...

## bench-smoke: run every benchmark and the end-to-end harness once, briefly, so they cannot
## rot; CI asserts no timing
bench-smoke:
	@scripts/ensure-redis.sh
	@tmp=$$(mktemp -d) && trap 'rm -rf $$tmp' EXIT && \
	$(GO) run ./bench/cmd/benchrun -quick -out $$tmp/RESULTS.md > $$tmp/out.txt || { cat $$tmp/out.txt; exit 1; }

## fuzz-smoke: run the security fuzz targets briefly (the admin config endpoint, request
## parameter decoding); FUZZTIME=10m for a longer run
FUZZTIME ?= 10s
fuzz-smoke:
	$(GO) test -run '^$$' -fuzz '^FuzzAdminConfig$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 2s ./mockserver
	$(GO) test -run '^$$' -fuzz '^FuzzRequestParams$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 2s ./mockserver

## bench: measure hookkit against the bare net/http baseline; rewrites bench/RESULTS.md
bench:
	@scripts/ensure-redis.sh
	$(GO) run ./bench/cmd/benchrun -out bench/RESULTS.md

clean:
	rm -rf bin
