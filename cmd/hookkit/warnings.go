package main

import (
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/hookkit/hookkit/openapi"
)

// warnFlags are the flags every command that loads a document shares.
type warnFlags struct {
	strict, showWarnings bool
}

func (w *warnFlags) register(fs *flag.FlagSet) {
	fs.BoolVar(&w.strict, "strict", false, "refuse a document with warnings kin-openapi would refuse (invalid examples or defaults, unknown keys, duplicate operationIds...), for CI linting")
	fs.BoolVar(&w.showWarnings, "show-warnings", false, "list every load warning (default: the count and the first "+fmt.Sprint(warningsShown)+")")
}

// warningsShown is how many warnings are printed at start without --show-warnings.
const warningsShown = 5

// loadDocument loads the document of a command (the embedded hook API when path is empty)
// with the strictness asked for.
func loadDocument(path string, w warnFlags) (*openapi.Document, error) {
	if path == "" {
		return openapi.Default()
	}
	return openapi.LoadWith(path, openapi.LoadOptions{Strict: w.strict})
}

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
