package main

import (
	"context"
	"fmt"
	"io"
)

// runMock is being written (placeholder until its issue lands).
func runMock(_ context.Context, _ []string, _, stderr io.Writer) int {
	fmt.Fprintln(stderr, "hookkit mock: not implemented yet")
	return 2
}
