package main

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/hookkit/hookkit/openapi"
)

// warningsShown is how many warnings are printed at start without --show-warnings.
const warningsShown = 5

// printWarnings writes the load warnings once, on stderr: a count by kind and the first
// few (all with --show-warnings), each as file:line: message (kind).
func printWarnings(out io.Writer, cmd string, source string, warns []openapi.Warning, all bool) {
	if len(warns) == 0 {
		return
	}
	counts := map[openapi.WarningKind]int{}
	for _, w := range warns {
		counts[w.Kind]++
	}
	kinds := make([]string, 0, len(counts))
	for k, n := range counts {
		kinds = append(kinds, fmt.Sprintf("%s %d", k, n))
	}
	sort.Strings(kinds)
	// One write, so the report is never interleaved with log lines.
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s loaded with %d warnings (%s); --strict refuses them\n", cmd, source, len(warns), strings.Join(kinds, ", "))
	n := len(warns)
	if !all {
		n = min(n, warningsShown)
	}
	for _, w := range warns[:n] {
		b.WriteString("  " + w.String() + "\n")
	}
	if n < len(warns) {
		fmt.Fprintf(&b, "  ... and %d more (--show-warnings lists them all)\n", len(warns)-n)
	}
	_, _ = io.WriteString(out, b.String())
}
