package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"time"

	"github.com/hookkit/hookkit/contract"
	"github.com/hookkit/hookkit/openapi"
)

// Exit codes of hookkit check.
const (
	exitPass        = 0
	exitViolations  = 1
	exitUsage       = 2
	exitUnreachable = 3
)

// listFlag is a repeatable flag; commas also separate values (--include a,b).
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*l = append(*l, s)
		}
	}
	return nil
}

// setFlag collects --set name=value pairs.
type setFlag map[string]string

func (s setFlag) String() string { return "" }
func (s setFlag) Set(v string) error {
	name, value, ok := strings.Cut(v, "=")
	if !ok || name == "" {
		return fmt.Errorf("want name=value, got %q", v)
	}
	s[name] = value
	return nil
}

// reportFlag collects --report FORMAT=FILE.
type reportFlag []reportTarget

type reportTarget struct{ format, file string }

func (r *reportFlag) String() string { return "" }
func (r *reportFlag) Set(v string) error {
	format, file, ok := strings.Cut(v, "=")
	switch {
	case !ok || file == "":
		return fmt.Errorf("want FORMAT=FILE (junit=report.xml, json=report.json, text=report.txt), got %q", v)
	case format != "junit" && format != "json" && format != "text":
		return fmt.Errorf("unknown report format %q (want junit, json or text)", format)
	}
	*r = append(*r, reportTarget{format, file})
	return nil
}

type checkFlags struct {
	spec, baseURL, har, tokenEnv, tokenFile string
	set                                     setFlag
	include, exclude                        listFlag
	reports                                 reportFlag
	seed                                    uint64
	positive, maxRequests, maxCases         int
	rate                                    float64
	maxResponseTime, timeout                time.Duration
	dryRun, verbose, progress               bool
	aksk                                    akskFlags
	stateful                                statefulFlag
	load                                    loadFlags
}

func parseCheckFlags(args []string, stdout, stderr io.Writer) (*checkFlags, int, bool) {
	f := &checkFlags{set: setFlag{}}
	fs := flag.NewFlagSet("hookkit check", flag.ContinueOnError)
	// Parse into a buffer: -h prints the usage once, on stdout; a parse error prints its
	// message and the usage on stderr.
	var parseOut bytes.Buffer
	fs.SetOutput(&parseOut)
	fs.StringVar(&f.spec, "spec", "", "OpenAPI 3 document (YAML or JSON; default: the embedded hook API)")
	f.load.register(fs)
	fs.StringVar(&f.baseURL, "base-url", "", "target to check, e.g. https://staging.example.com/api (required unless --har)")
	fs.StringVar(&f.har, "har", "", "validate the exchanges of this HAR 1.2 file instead of sending requests")
	fs.Var(f.set, "set", "`name=value` for a path, query or header parameter (repeatable), e.g. --set project_id=0b5f...")
	fs.StringVar(&f.tokenEnv, "token-env", "", "read the credential from this environment `VAR` (never printed; reports show $TOKEN)")
	fs.StringVar(&f.tokenFile, "token-file", "", "read the credential from this `FILE` (trailing newline ignored)")
	f.aksk.register(fs)
	fs.Uint64Var(&f.seed, "seed", 0, "seed of synthesized cases; the same seed gives the same plan")
	fs.IntVar(&f.positive, "positive", 0, "synthesized positive cases per operation, on top of the document's examples")
	fs.Var(&f.include, "include", "run only cases of these operationIds or kinds (positive, negative, stateful); repeatable or comma-separated")
	fs.Var(&f.exclude, "exclude", "skip cases of these operationIds or kinds; repeatable or comma-separated")
	fs.Float64Var(&f.rate, "rate", 0, fmt.Sprintf("most requests per second (default %d, unlimited for loopback targets; negative: unlimited)", contract.DefaultRate))
	fs.IntVar(&f.maxCases, "max-cases-per-operation", contract.DefaultMaxCasesPerOperation, "plan at most this many cases per operation (examples and basic cases first; negative: no cap)")
	fs.IntVar(&f.maxRequests, "max-requests", 0, "send at most this many requests (0: no limit); the rest are reported as skipped")
	fs.DurationVar(&f.maxResponseTime, "max-response-time", 0, "fail answers slower than this Go duration, e.g. 2s (0: no limit)")
	fs.DurationVar(&f.timeout, "timeout", 10*time.Second, "timeout of each request")
	fs.Var(&f.stateful, "stateful", "run stateful sequences (create, get, list, update, delete, get after delete): true, false or auto (default: only against loopback targets, as they create data)")
	fs.BoolVar(&f.dryRun, "dry-run", false, "print the plan (cases and curl commands) and send nothing")
	fs.Var(&f.reports, "report", "also write a report: junit=FILE, json=FILE or text=FILE (repeatable)")
	fs.BoolVar(&f.verbose, "v", false, "show the details of passing cases too (and the canonical request of AK/SK-signed ones)")
	fs.BoolVar(&f.progress, "progress", isTerminal(os.Stderr), "show a progress line on stderr (default: when stderr is a terminal)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), `Usage: hookkit check [--spec FILE] --base-url URL [flags]
       hookkit check [--spec FILE] --har FILE [flags]

Checks that a live endpoint honours the document: sends every example and synthesized
request (positive cases, expecting 2xx) and invalid ones (negative cases, expecting a
declared 4xx), and validates every answer. With --har, validates recorded traffic instead.

Exit codes: 0 all cases pass, 1 violations found, 2 usage or document error,
3 target unreachable.

Flags:`)
		fs.PrintDefaults()
	}
	if code, ok := parseFlagSet(fs, &parseOut, args, stdout, stderr); !ok {
		return nil, code, false
	}
	fail := func(format string, args ...any) (*checkFlags, int, bool) {
		fmt.Fprintf(stderr, "hookkit check: "+format+"\n", args...)
		return nil, exitUsage, false
	}
	switch {
	case fs.NArg() > 0:
		return fail("unexpected argument %q", fs.Arg(0))
	case f.har == "" && f.baseURL == "":
		return fail("--base-url is required (or --har FILE to check recorded traffic)")
	case f.har != "" && f.baseURL != "":
		return fail("--har and --base-url exclude each other")
	case f.tokenEnv != "" && f.tokenFile != "":
		return fail("--token-env and --token-file exclude each other")
	case math.IsNaN(f.rate) || math.IsInf(f.rate, 0):
		return fail("--rate must be a number of requests per second (negative: unlimited), not %v", f.rate)
	case f.positive < 0 || f.maxRequests < 0:
		return fail("--positive and --max-requests must not be negative")
	case f.timeout <= 0:
		return fail("--timeout must be a positive duration, not %s", f.timeout)
	case f.maxResponseTime < 0:
		return fail("--max-response-time must not be negative")
	}
	return f, exitPass, true
}

// readToken reads the credential from the environment or a file; flags never carry it, so
// it stays out of shell history and process listings.
func (f *checkFlags) readToken() (string, error) {
	return readCredential("--token-env", f.tokenEnv, "--token-file", f.tokenFile)
}

// runCheck runs hookkit check. The text summary goes to stdout, reports to their files,
// the progress line and errors to stderr.
func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	f, code, ok := parseCheckFlags(args, stdout, stderr)
	if !ok {
		return code
	}
	doc, err := loadSpec(ctx, f.spec, f.load)
	if err != nil {
		fmt.Fprintln(stderr, "hookkit check: cannot load the document:", err)
		return exitUsage
	}
	printWarnings(stderr, "hookkit check", doc.Source, doc.Warnings, f.load.showWarnings)
	var rep *contract.Report
	if f.har != "" {
		rep, err = checkHAR(ctx, doc, f)
	} else {
		rep, err = checkLive(ctx, doc, f, stderr)
	}
	if err != nil {
		fmt.Fprintln(stderr, "hookkit check:", err)
		return exitUsage
	}
	code = report("hookkit check", rep, f.verbose, f.reports, stdout, stderr)
	if hint := credentialHint(doc, f, rep); hint != "" {
		fmt.Fprintln(stderr, hint)
	}
	return code
}

// report writes the text summary to stdout and the --report files, and returns the exit
// code of the run.
func report(name string, rep *contract.Report, verbose bool, reports reportFlag, stdout, stderr io.Writer) int {
	if err := rep.WriteText(stdout, verbose); err != nil {
		fmt.Fprintln(stderr, name+":", err)
		return exitUsage
	}
	for _, r := range reports {
		if err := writeReport(rep, r); err != nil {
			fmt.Fprintln(stderr, name+":", err)
			return exitUsage
		}
	}
	return rep.ExitCode()
}

// credentialHint says which flag was missing when a live check without a credential found
// violations against a document whose operations require one: the positive cases were
// then rejected for want of it, which the report alone shows only as request-valid failures.
func credentialHint(doc *openapi.Document, f *checkFlags, rep *contract.Report) string {
	if f.har != "" || f.tokenEnv != "" || f.tokenFile != "" || f.aksk != (akskFlags{}) || rep.ExitCode() != exitViolations {
		return ""
	}
	need := contract.RequiredCredentials(doc)
	if len(need) == 0 {
		return ""
	}
	return fmt.Sprintf("hookkit check: no credential was given, but the document requires one (%s): add --token-file FILE or --token-env VAR (or --ak-env and --sk-env where it accepts AK/SK)",
		strings.Join(need, "; "))
}

// maxHARBytes bounds the HAR file --har reads.
const maxHARBytes = 512 << 20

func checkHAR(ctx context.Context, doc *openapi.Document, f *checkFlags) (*contract.Report, error) {
	file, err := os.Open(f.har)
	if err != nil {
		return nil, fmt.Errorf("--har: %w", err)
	}
	defer file.Close()
	if st, err := file.Stat(); err != nil || !st.Mode().IsRegular() || st.Size() > maxHARBytes {
		return nil, fmt.Errorf("--har: %s must be a regular file of at most %d bytes", f.har, maxHARBytes)
	}
	return contract.CheckHAR(ctx, doc, file, contract.HAROptions{Source: f.har, MaxResponseTime: f.maxResponseTime})
}

func checkLive(ctx context.Context, doc *openapi.Document, f *checkFlags, stderr io.Writer) (*contract.Report, error) {
	token, err := f.readToken()
	if err != nil {
		return nil, err
	}
	ak, sk, err := f.aksk.read()
	if err != nil {
		return nil, err
	}
	opts := contract.Options{
		BaseURL: f.baseURL, Token: token, AccessKey: ak, SecretKey: sk, Set: f.set, Seed: f.seed, Positive: f.positive,
		Include: f.include, Exclude: f.exclude, Rate: f.rate, MaxRequests: f.maxRequests, MaxCasesPerOperation: f.maxCases,
		MaxResponseTime: f.maxResponseTime, Timeout: f.timeout, DryRun: f.dryRun,
		Stateful: f.stateful.mode,
	}
	if f.progress && !f.dryRun {
		opts.Progress = func(done, total int) {
			fmt.Fprintf(stderr, "\rhookkit check: %d/%d cases", done, total)
			if done == total {
				fmt.Fprint(stderr, "\r\033[K")
			}
		}
	}
	return contract.Check(ctx, doc, opts)
}

func writeReport(rep *contract.Report, r reportTarget) (err error) {
	file, err := os.Create(r.file)
	if err != nil {
		return fmt.Errorf("--report %s: %w", r.format, err)
	}
	defer func() {
		if cerr := file.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("--report %s: %w", r.format, cerr)
		}
	}()
	switch r.format {
	case "junit":
		return rep.WriteJUnit(file)
	case "json":
		return rep.WriteJSON(file)
	default:
		return rep.WriteText(file, true)
	}
}

// isTerminal reports whether f is a character device (a terminal), so CI logs get no
// progress line.
func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
