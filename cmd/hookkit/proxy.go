package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/hookkit/hookkit/contract"
)

// maxProxyJournal is the largest --journal-size of the proxy.
const maxProxyJournal = 100_000

type proxyFlags struct {
	spec, upstream, addr, logFormat, logLevel string
	cpuProfile, adminTokenEnv                 string
	failOnViolation                           bool
	bodyLimit                                 int64
	journalSize                               int
	upstreamTimeout                           time.Duration
	server                                    serverFlags
	load                                      loadFlags
}

func parseProxyFlags(args []string, stdout, stderr io.Writer) (*proxyFlags, *url.URL, int, bool) {
	f := &proxyFlags{}
	fs := flag.NewFlagSet("hookkit proxy", flag.ContinueOnError)
	// Parse into a buffer: -h prints the usage once, on stdout; a parse error prints its
	// message and the usage on stderr.
	var parseOut bytes.Buffer
	fs.SetOutput(&parseOut)
	fs.StringVar(&f.spec, "spec", "", "OpenAPI 3 document (YAML or JSON; default: the embedded hook API)")
	fs.StringVar(&f.upstream, "upstream", "", "URL traffic is forwarded to, e.g. https://staging.example.com/api (required)")
	fs.StringVar(&f.addr, "addr", "127.0.0.1:4011", "address to listen on; port 0 picks a free port (the bound address is printed)")
	fs.BoolVar(&f.failOnViolation, "fail-on-violation", false, "answer 502 with the violation report instead of a violating answer")
	fs.Int64Var(&f.bodyLimit, "max-body", contract.DefaultBodyLimit, "bytes of a body held for validation; larger bodies stream through unvalidated")
	fs.IntVar(&f.journalSize, "journal-size", 1000, "violations kept for GET "+contract.AdminPath)
	fs.StringVar(&f.logFormat, "log-format", "text", "log format: text or json")
	fs.StringVar(&f.logLevel, "log-level", "info", "log level: debug, info, warn or error")
	fs.StringVar(&f.cpuProfile, "cpuprofile", "", "write a CPU profile (pprof) of the whole run to this file, for performance work")
	fs.DurationVar(&f.upstreamTimeout, "upstream-timeout", contract.DefaultUpstreamTimeout, "longest wait for the upstream's answer (status and headers); then 502")
	f.load.register(fs)
	fs.StringVar(&f.adminTokenEnv, "admin-token-env", "", "protect "+contract.AdminPath+" with the token in this environment `VAR` (Authorization: Bearer <token>)")
	f.server.register(fs)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), `Usage: hookkit proxy [--spec FILE] --upstream URL [flags]

A reverse proxy that forwards traffic unchanged and validates every request and answer
against the document. Violations are logged (secrets redacted), kept in a journal at
`+contract.AdminPath+` and marked on the answer with the `+contract.ViolationsHeader+` header.

Flags:`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stdout)
			fs.Usage()
			return nil, nil, 0, false
		}
		_, _ = stderr.Write(parseOut.Bytes())
		return nil, nil, 2, false
	}
	fail := func(format string, args ...any) (*proxyFlags, *url.URL, int, bool) {
		fmt.Fprintf(stderr, "hookkit proxy: "+format+"\n", args...)
		return nil, nil, 2, false
	}
	if fs.NArg() > 0 {
		return fail("unexpected argument %q", fs.Arg(0))
	}
	if f.upstream == "" {
		return fail("--upstream is required")
	}
	u, err := contract.ParseBaseURL(f.upstream)
	if err != nil {
		return fail("--upstream %v", err)
	}
	if f.logFormat != "text" && f.logFormat != "json" {
		return fail("--log-format must be text or json, not %q", f.logFormat)
	}
	if f.bodyLimit <= 0 || f.journalSize <= 0 {
		return fail("--max-body and --journal-size must be positive")
	}
	if f.bodyLimit > maxBodyCeiling || f.journalSize > maxProxyJournal {
		return fail("--max-body must be at most %d and --journal-size at most %d", maxBodyCeiling, maxProxyJournal)
	}
	if f.upstreamTimeout <= 0 {
		return fail("--upstream-timeout must be a positive duration, not %s", f.upstreamTimeout)
	}
	if err := f.server.check(); err != nil {
		return fail("%v", err)
	}
	return f, u, 0, true
}

// runProxy serves the validating proxy until ctx is cancelled, then shuts down gracefully.
// The bound address goes to stdout, logs to stderr.
func runProxy(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	f, upstream, code, ok := parseProxyFlags(args, stdout, stderr)
	if !ok {
		return code
	}
	logger, closeLogs, err := newLogger(f.logFormat, f.logLevel, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "hookkit proxy:", err)
		return 2
	}
	defer closeLogs()
	doc, err := loadSpec(ctx, f.spec, f.load)
	if err != nil {
		fmt.Fprintln(stderr, "hookkit proxy: cannot load the document:", err)
		return 2
	}
	printWarnings(stderr, "hookkit proxy", doc.Source, doc.Warnings, f.load.showWarnings)
	adminToken := ""
	if f.adminTokenEnv != "" {
		if adminToken = strings.TrimSpace(os.Getenv(f.adminTokenEnv)); adminToken == "" {
			fmt.Fprintf(stderr, "hookkit proxy: --admin-token-env: environment variable %s is not set or empty\n", f.adminTokenEnv)
			return 2
		}
	}
	px := contract.NewProxy(doc, upstream, contract.ProxyOptions{
		FailOnViolation: f.failOnViolation, Logger: logger, JournalSize: f.journalSize, BodyLimit: f.bodyLimit,
		UpstreamTimeout: f.upstreamTimeout, Addr: f.addr, AdminToken: adminToken,
	})
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		fmt.Fprintf(stderr, "hookkit proxy: cannot listen on %s: %v\n", f.addr, err)
		return 1
	}
	fmt.Fprintf(stdout, "hookkit proxy listening on http://%s -> %s\n", ln.Addr(), upstream.Redacted())
	fmt.Fprintf(stdout, "document %s (%d operations); violations at http://%s%s\n", doc.Source, len(doc.Operations), ln.Addr(), contract.AdminPath)
	adminWarning(stdout, px.LoopbackOnly(), f.addr, contract.AdminPath)

	return serve(ctx, "hookkit proxy", px, ln, &f.server, logger, f.cpuProfile, stderr)
}
