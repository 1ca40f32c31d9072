package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/hookkit/hookkit/openapi"
)

// loadFlags are the flags of every command that loads a document (mock, check, proxy):
// what loading may reach and how strictly the document is judged. They map onto one
// openapi.LoadOptions.
type loadFlags struct {
	allowRemoteRefs, strict, showWarnings bool
}

func (lf *loadFlags) register(fs *flag.FlagSet) {
	fs.BoolVar(&lf.allowRemoteRefs, "allow-remote-refs", false, remoteRefsUsage)
	fs.BoolVar(&lf.strict, "strict", false, "refuse a document with warnings kin-openapi would refuse (invalid examples or defaults, unknown keys, duplicate operationIds...), for CI linting")
	fs.BoolVar(&lf.showWarnings, "show-warnings", false, "list every load warning (default: the count and the first "+fmt.Sprint(warningsShown)+")")
}

// remoteRefsUsage is the help of --allow-remote-refs.
const remoteRefsUsage = "let the document's $refs fetch http(s) URLs (10s timeout, 8 MiB each); by default loading reads only files in the document's folder tree"

// options are the load options the flags ask for; ctx ends a load fetching remote $refs.
func (lf loadFlags) options(ctx context.Context) openapi.LoadOptions {
	return openapi.LoadOptions{Context: ctx, AllowRemoteRefs: lf.allowRemoteRefs, Strict: lf.strict}
}

// loadSpec loads the document ("" for the embedded one), hermetically unless remote $refs
// are allowed, leniently unless --strict. SIGINT/SIGTERM (ctx) end the load at once,
// whatever it is doing: the load runs aside and is abandoned, since the process exits
// right after.
func loadSpec(ctx context.Context, path string, lf loadFlags) (*openapi.Document, error) {
	if path == "" {
		return openapi.Default()
	}
	type result struct {
		doc *openapi.Document
		err error
	}
	done := make(chan result, 1)
	go func() {
		doc, err := openapi.LoadWith(path, lf.options(ctx))
		done <- result{doc, err}
	}()
	select {
	case r := <-done:
		return r.doc, r.err
	case <-ctx.Done():
		return nil, fmt.Errorf("%s: loading interrupted", path)
	}
}
