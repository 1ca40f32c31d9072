package main

import (
	"context"
	"fmt"
	"io"
)

// runCheck is being written (placeholder until its issue lands).
func runCheck(_ context.Context, _ []string, _, stderr io.Writer) int {
	fmt.Fprintln(stderr, "hookkit check: not implemented yet")
	return 2
}
