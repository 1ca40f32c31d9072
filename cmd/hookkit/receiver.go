package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/hookkit/hookkit/contract"
)

type receiverFlags struct {
	url, typ, secretEnv, secretFile, event string
	timeout                                time.Duration
	reports                                reportFlag
	verbose                                bool
}

func parseReceiverFlags(args []string, stdout, stderr io.Writer) (*receiverFlags, int, bool) {
	f := &receiverFlags{}
	fs := flag.NewFlagSet("hookkit check-receiver", flag.ContinueOnError)
	var parseOut bytes.Buffer
	fs.SetOutput(&parseOut)
	fs.StringVar(&f.url, "url", "", "the webhook receiver's `URL`, e.g. http://127.0.0.1:8080/webhook (required)")
	fs.StringVar(&f.typ, "type", "", "delivery format: github or gitlab (required)")
	fs.StringVar(&f.secretEnv, "secret-env", "", "read the hook's secret from this environment `VAR` (never printed)")
	fs.StringVar(&f.secretFile, "secret-file", "", "read the hook's secret from this `FILE` (trailing newline ignored)")
	fs.StringVar(&f.event, "event", "push", "event to deliver: push or ping (github), push or tag_push (gitlab)")
	fs.DurationVar(&f.timeout, "timeout", 10*time.Second, "timeout of each request")
	fs.Var(&f.reports, "report", "also write a report: junit=FILE, json=FILE or text=FILE (repeatable)")
	fs.BoolVar(&f.verbose, "v", false, "show the details of passing cases too")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), `Usage: hookkit check-receiver --url URL --type github|gitlab --secret-env VAR [flags]

Checks a webhook receiver: a delivery signed with the hook's secret must get a 2xx; an
unsigned one, a wrongly signed one, one signed with another secret and one whose body was
cut after signing must each get a 4xx.

Exit codes: 0 all cases pass, 1 violations found, 2 usage error, 3 receiver unreachable.

Flags:`)
		fs.PrintDefaults()
	}
	if code, ok := parseFlagSet(fs, &parseOut, args, stdout, stderr); !ok {
		return nil, code, false
	}
	fail := func(format string, args ...any) (*receiverFlags, int, bool) {
		fmt.Fprintf(stderr, "hookkit check-receiver: "+format+"\n", args...)
		return nil, exitUsage, false
	}
	switch {
	case fs.NArg() > 0:
		return fail("unexpected argument %q", fs.Arg(0))
	case f.url == "":
		return fail("--url is required")
	case f.typ == "":
		return fail("--type is required (github or gitlab)")
	case f.secretEnv == "" && f.secretFile == "":
		return fail("the hook's secret is required: --secret-env VAR or --secret-file FILE")
	case f.secretEnv != "" && f.secretFile != "":
		return fail("--secret-env and --secret-file exclude each other")
	}
	return f, exitPass, true
}

func (f *receiverFlags) readSecret() (string, error) {
	return readCredential("--secret-env", f.secretEnv, "--secret-file", f.secretFile)
}

// runCheckReceiver runs hookkit check-receiver: reports and exit codes as hookkit check.
func runCheckReceiver(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	f, code, ok := parseReceiverFlags(args, stdout, stderr)
	if !ok {
		return code
	}
	secret, err := f.readSecret()
	if err != nil {
		fmt.Fprintln(stderr, "hookkit check-receiver:", err)
		return exitUsage
	}
	rep, err := contract.CheckReceiver(ctx, contract.ReceiverOptions{URL: f.url, Type: f.typ, Secret: secret, Event: f.event, Timeout: f.timeout})
	if err != nil {
		fmt.Fprintln(stderr, "hookkit check-receiver:", err)
		return exitUsage
	}
	return report("hookkit check-receiver", rep, f.verbose, f.reports, stdout, stderr)
}
