package main

import (
	"context"
	"fmt"
	"io"
)

// runProxy is being written (placeholder until its issue lands).
func runProxy(_ context.Context, _ []string, _, stderr io.Writer) int {
	fmt.Fprintln(stderr, "hookkit proxy: not implemented yet")
	return 2
}
