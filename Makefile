# hookkit's build. The README's two commands, `make run` and `make test`, do all set-up on a
# fresh machine with Go 1.26: Go fetches modules and tools (oapi-codegen, bombardier) itself;
# the document linter runs through npx (Node.js is installed with apt when missing).

GO        ?= go
ADDR      ?= 127.0.0.1:4010
BIN       := bin/hookkit
REDOCLY   := @redocly/cli@2.77.0
SPECS     := openapi/hooks.yaml $(wildcard mockserver/testdata/*.yaml)

.PHONY: run build test generate check-generated fmt-check vet lint lint-spec unit bench bench-smoke fuzz-smoke clean

## run: start the mock server on the embedded hook document at $(ADDR)
run: build
	$(BIN) mock --addr $(ADDR)

## build: compile bin/hookkit
build:
	$(GO) build -o $(BIN) ./cmd/hookkit

## test: everything CI checks: formatting, vet, generated-code drift, document lint, race tests
test: fmt-check vet check-generated lint-spec bench-smoke unit fuzz-smoke

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

lint-spec:
	@scripts/ensure-node.sh
	npx --yes $(REDOCLY) lint --config openapi/redocly.yaml $(SPECS)

unit:
	$(GO) test -race -count=1 ./...

## bench-smoke: run every benchmark and the end-to-end harness once, briefly, so they cannot
## rot; CI asserts no timing
bench-smoke:
	@tmp=$$(mktemp -d) && trap 'rm -rf $$tmp' EXIT && \
	$(GO) run ./bench/cmd/benchrun -quick -out $$tmp/RESULTS.md > $$tmp/out.txt || { cat $$tmp/out.txt; exit 1; }

## fuzz-smoke: run the security fuzz targets briefly (the admin config endpoint, request
## parameter decoding); FUZZTIME=10m for a longer run
FUZZTIME ?= 10s
fuzz-smoke:
	$(GO) test -run '^$$' -fuzz '^FuzzAdminConfig$$' -fuzztime $(FUZZTIME) ./mockserver
	$(GO) test -run '^$$' -fuzz '^FuzzRequestParams$$' -fuzztime $(FUZZTIME) ./mockserver

## bench: measure hookkit against the bare net/http baseline; rewrites bench/RESULTS.md
bench:
	$(GO) run ./bench/cmd/benchrun -out bench/RESULTS.md

clean:
	rm -rf bin
