package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"

	"github.com/hookkit/hookkit/mockserver"
	"github.com/hookkit/hookkit/mockserver/config"
	"github.com/hookkit/hookkit/mockserver/hookapi"
	"github.com/hookkit/hookkit/openapi"
)

// mockFlags are the flags of "hookkit mock".
type mockFlags struct {
	spec, cfg, addr, logFormat, logLevel string
	cpuProfile, adminTokenEnv            string
	noWatch                              bool
	maxBody                              int64
	stateful                             bool
	stateRedis                           string
	server                               serverFlags
	load                                 loadFlags
}

func parseMockFlags(args []string, stdout, stderr io.Writer) (*mockFlags, int, bool) {
	f := &mockFlags{}
	fs := flag.NewFlagSet("hookkit mock", flag.ContinueOnError)
	// Parse into a buffer: -h prints the usage once, on stdout; a parse error prints its
	// message and the usage on stderr.
	var parseOut bytes.Buffer
	fs.SetOutput(&parseOut)
	fs.StringVar(&f.spec, "spec", "", "OpenAPI 3 document to serve (YAML or JSON; default: the embedded hook API)")
	fs.StringVar(&f.cfg, "config", "", "mock config file (rules, seed, hooks, CORS, journal, admin; default: built-in defaults)")
	fs.StringVar(&f.addr, "addr", "127.0.0.1:4010", "address to listen on; port 0 picks a free port (the bound address is printed)")
	fs.StringVar(&f.logFormat, "log-format", "text", "log format: text or json")
	fs.StringVar(&f.logLevel, "log-level", "info", "log level: debug, info, warn or error (warn hides the per-request lines)")
	fs.BoolVar(&f.noWatch, "no-watch", false, "do not reload when the spec or config file changes")
	fs.StringVar(&f.cpuProfile, "cpuprofile", "", "write a CPU profile (pprof) of the whole run to this file, for performance work")
	fs.BoolVar(&f.stateful, "stateful", false, "remember resources: POST creates, GET returns, PUT/PATCH change, DELETE removes (also: config state.enabled)")
	fs.StringVar(&f.stateRedis, "state-redis", "", "keep state in Redis at this URL (redis://host:6379/0) so several replicas share it; implies --stateful")
	f.load.register(fs)
	fs.Int64Var(&f.maxBody, "max-body", mockserver.DefaultMaxBodyBytes, "largest request body accepted, in bytes; larger ones get a body-too-large client error")
	fs.StringVar(&f.adminTokenEnv, "admin-token-env", "", "protect the admin API with the token in this environment `VAR` (Authorization: Bearer <token>); wins over admin.tokenEnv")
	f.server.register(fs)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: hookkit mock [flags]\n\nServes a mock backend for an OpenAPI document: validates requests like the real backend,\nanswers from config rules, the Prefer header, the typed hook handler, examples or\nsynthesized data, and serves the admin API under /__admin/.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stdout)
			fs.Usage()
			return nil, 0, false
		}
		_, _ = stderr.Write(parseOut.Bytes())
		return nil, 2, false
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "hookkit mock: unexpected argument %q\n", fs.Arg(0))
		return nil, 2, false
	}
	if f.logFormat != "text" && f.logFormat != "json" {
		fmt.Fprintf(stderr, "hookkit mock: --log-format must be text or json, not %q\n", f.logFormat)
		return nil, 2, false
	}
	if f.maxBody <= 0 || f.maxBody > maxBodyCeiling {
		fmt.Fprintf(stderr, "hookkit mock: --max-body must be a positive number of bytes, at most %d\n", maxBodyCeiling)
		return nil, 2, false
	}
	if err := f.server.check(); err != nil {
		fmt.Fprintln(stderr, "hookkit mock:", err)
		return nil, 2, false
	}
	if f.stateRedis != "" {
		if err := config.CheckRedisURL(f.stateRedis); err != nil {
			fmt.Fprintf(stderr, "hookkit mock: --state-redis: %v\n", err)
			return nil, 2, false
		}
		f.stateful = true
	}
	return f, 0, true
}

// newLogger returns the logger of a serving command, writing to w through a logWriter (one
// line per request must not cost a write each), and the function that flushes it at exit.
func newLogger(format, level string, w io.Writer) (*slog.Logger, func(), error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, nil, fmt.Errorf("--log-level must be debug, info, warn or error, not %q", level)
	}
	opts := &slog.HandlerOptions{Level: lv}
	logs := newLogWriter(w)
	closeLogs := func() { logs.Close() }
	if format == "json" {
		return slog.New(slog.NewJSONHandler(logs, opts)), closeLogs, nil
	}
	return slog.New(slog.NewTextHandler(logs, opts)), closeLogs, nil
}

// maxBodyCeiling is the largest --max-body: the mock holds a body in memory to validate it.
const maxBodyCeiling = 1 << 30

func loadConfig(path string) (*config.Config, error) {
	if path == "" {
		return config.Default(), nil
	}
	cfg, err := config.Load(path)
	if err != nil {
		return nil, err
	}
	// What the config names outside itself (secret keys, tokens, the seed file) is read
	// here, so a problem is a config error with its line, before serving or reloading.
	return config.Resolve(cfg)
}

// runMock serves the mock until ctx is cancelled (SIGINT/SIGTERM in main), then shuts
// down gracefully. Logs go to stderr; the startup banner (address and operations) to
// stdout, so scripts and tests read the bound address from there.
func runMock(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	f, code, ok := parseMockFlags(args, stdout, stderr)
	if !ok {
		return code
	}
	logger, closeLogs, err := newLogger(f.logFormat, f.logLevel, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "hookkit mock:", err)
		return 2
	}
	defer closeLogs()
	doc, err := loadSpec(ctx, f.spec, f.load)
	if err != nil {
		fmt.Fprintln(stderr, "hookkit mock: cannot load the document:", err)
		return 2
	}
	cfg, err := loadConfig(f.cfg)
	if err != nil {
		fmt.Fprintln(stderr, "hookkit mock: cannot load the config:\n"+indent(err.Error()))
		return 2
	}
	adminToken := ""
	if f.adminTokenEnv != "" {
		if adminToken = strings.TrimSpace(os.Getenv(f.adminTokenEnv)); adminToken == "" {
			fmt.Fprintf(stderr, "hookkit mock: --admin-token-env: environment variable %s is not set or empty\n", f.adminTokenEnv)
			return 2
		}
	}
	srv, err := mockserver.New(doc, mockserver.Options{Config: cfg, Logger: logger, MaxBodyBytes: f.maxBody,
		Stateful: f.stateful, StateRedis: f.stateRedis, Addr: f.addr, AdminToken: adminToken, Strict: f.load.strict,
		Profiles: []mockserver.Profile{hookapi.New(hookapi.ProfileOptions{Deliver: hookapi.Options{Logger: logger}})}})
	if err != nil {
		fmt.Fprintln(stderr, "hookkit mock: cannot serve:\n"+indent(err.Error()))
		return 2
	}
	defer srv.Close() // after serving: cancels pending webhook retries, closes the state store
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		fmt.Fprintf(stderr, "hookkit mock: cannot listen on %s: %v\n", f.addr, err)
		return 1
	}
	printWarnings(stderr, "hookkit mock", doc.Source, append(append([]openapi.Warning(nil), doc.Warnings...), srv.Warnings()...), f.load.showWarnings)
	// The banner is written in one piece by its own goroutine: when nobody reads stdout (a
	// full pipe), the mock still serves and still stops on SIGTERM.
	var banner strings.Builder
	printBanner(&banner, ln.Addr().String(), doc, cfg)
	printStateBanner(&banner, srv)
	adminWarning(&banner, cfg.AdminEnabled() && srv.LoopbackOnly(), f.addr, "the admin API")
	go func() { _, _ = io.WriteString(stdout, banner.String()) }()

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if !f.noWatch {
		var files []string
		for _, p := range []string{f.spec, f.cfg} {
			if p != "" {
				files = append(files, p)
			}
		}
		if len(files) > 0 {
			err := watchFiles(ctx, files, logger, func(changed string) { reload(ctx, srv, f, changed, logger) })
			if err != nil {
				logger.Warn("hot reload is off", "error", err)
			}
		}
	}

	return serve(ctx, "hookkit mock", srv, ln, &f.server, logger, f.cpuProfile, stderr)
}

// reload loads both files again and swaps them in; a broken edit keeps the last good
// version and says why, without stopping the mock.
func reload(ctx context.Context, srv *mockserver.Server, f *mockFlags, changed string, logger *slog.Logger) {
	doc, err := loadSpec(ctx, f.spec, f.load)
	if err != nil {
		logger.Error("reload failed, keeping the last good version", "file", changed, "error", err.Error())
		return
	}
	cfg, err := loadConfig(f.cfg)
	if err != nil {
		logger.Error("reload failed, keeping the last good version", "file", changed, "error", err.Error())
		return
	}
	if err := srv.Reload(doc, cfg); err != nil {
		logger.Error("reload failed, keeping the last good version", "file", changed, "error", err.Error())
		return
	}
	logger.Info("reloaded", "file", changed, "operations", len(doc.Operations), "rules", len(cfg.Rules), "warnings", len(doc.Warnings)+len(srv.Warnings()))
}

// bannerOperations is the most operations the banner lists.
const bannerOperations = 50

func printBanner(w io.Writer, addr string, doc *openapi.Document, cfg *config.Config) {
	fmt.Fprintf(w, "hookkit mock listening on http://%s\n", addr)
	fmt.Fprintf(w, "document %s (%d operations)\n", doc.Source, len(doc.Operations))
	width := 0
	for _, op := range doc.Operations {
		width = max(width, len(op.Method)+1+len(op.Path))
	}
	for i, op := range doc.Operations {
		if i == bannerOperations {
			fmt.Fprintf(w, "  ... and %d more\n", len(doc.Operations)-i)
			break
		}
		fmt.Fprintf(w, "  %-*s  %s\n", width, op.Method+" "+op.Path, op.ID)
	}
	if cfg.AdminEnabled() {
		fmt.Fprintf(w, "admin API on http://%s/__admin/ (requests, mappings, config, hooks, deliveries, reset, health)\n", addr)
	}
}

// adminWarning prints the banner's WARNING when an admin API, exposed on a non-loopback
// address without a token, answers loopback clients only: whoever expected to use it
// from another machine learns why it refuses, and everyone learns it is exposed.
func adminWarning(w io.Writer, loopbackOnly bool, addr, what string) {
	if loopbackOnly {
		fmt.Fprintf(w, "WARNING: bound to %s without an admin token: %s answers loopback clients only (set --admin-token-env to use it remotely)\n", addr, what)
	}
}

func indent(s string) string { return "  " + strings.ReplaceAll(s, "\n", "\n  ") }
