// Command hookkit turns an OpenAPI document into a mock backend and a contract checker.
//
//	hookkit mock    serve a mock of the document (the embedded hook API by default)
//	hookkit check   check a live endpoint against the document
//	hookkit proxy   forward traffic to an upstream and validate it against the document
//	hookkit check-receiver check that a webhook receiver verifies signed deliveries
//	hookkit version print the version
//	hookkit completion bash|zsh|fish
//	                print a shell completion script
//
// Run "hookkit COMMAND -h" for the flags of each command.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// command runs one subcommand and returns the process exit code.
type command struct {
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) int
}

func commands() map[string]command {
	return map[string]command{
		"mock":           {"serve a mock backend for an OpenAPI document", runMock},
		"check":          {"check a live endpoint (or a HAR file) against an OpenAPI document", runCheck},
		"proxy":          {"reverse proxy that validates traffic against an OpenAPI document", runProxy},
		"check-receiver": {"check that a webhook receiver verifies the deliveries' signatures", runCheckReceiver},
		"version":        {"print hookkit's version", runVersion},
		"completion":     {"print a shell completion script (bash, zsh or fish)", runCompletion},
	}
}

var order = []string{"mock", "check", "proxy", "check-receiver", "version", "completion"}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run dispatches to a subcommand; it is main without the process, for tests.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		if len(args) > 1 && args[0] == "help" {
			// "hookkit help mock" is "hookkit mock -h".
			return run(ctx, []string{args[1], "-h"}, stdout, stderr)
		}
		usage(stdout)
		return 0
	case "-version", "--version":
		args[0] = "version"
	}
	cmd, ok := commands()[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "hookkit: unknown command %q\n\n", args[0])
		usage(stderr)
		return 2
	}
	return cmd.run(ctx, args[1:], stdout, stderr)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "hookkit turns an OpenAPI document into a mock backend and a contract checker.")
	fmt.Fprintln(w, "\nUsage: hookkit COMMAND [flags]\n\nCommands:")
	cmds := commands()
	width := 0
	for _, name := range order {
		width = max(width, len(name))
	}
	for _, name := range order {
		fmt.Fprintf(w, "  %-*s  %s\n", width, name, cmds[name].summary)
	}
	fmt.Fprintln(w, "\nRun 'hookkit COMMAND -h' for a command's flags.")
}
