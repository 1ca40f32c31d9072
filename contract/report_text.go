package contract

import (
	"fmt"
	"io"
	"strings"
)

// bodyShown is how much of a server's answer the text report quotes.
const bodyShown = 300

// WriteText writes the readable summary: one line per case, and for each failed case the
// failed checks, the server's answer (trimmed) and a curl command that reproduces it.
// With verbose, passing cases show their curl too.
func (r *Report) WriteText(w io.Writer, verbose bool) error {
	ew := &errWriter{w: w}
	if r.DryRun {
		ew.printf("hookkit check --dry-run: %d cases planned for %s against %s (seed %d); nothing was sent\n\n", len(r.Results), r.Document, r.Target, r.Seed)
	} else {
		ew.printf("hookkit check: %s against %s (seed %d)\n\n", r.Document, r.Target, r.Seed)
	}
	for _, res := range r.Results {
		label := strings.ToUpper(string(res.Outcome))
		ew.printf("%-7s %s", label, res.Case.ID)
		if res.Exchange != nil && res.Exchange.Response != nil {
			ew.printf(" -> %d", res.Exchange.Response.Status)
		}
		if res.Reason != "" {
			ew.printf(" (%s)", res.Reason)
		}
		ew.printf("\n")
		if res.Outcome == Fail || res.Outcome == Planned || verbose {
			r.writeDetail(ew, res, verbose)
		}
	}
	for _, ex := range r.Unknown {
		ew.printf("UNKNOWN %s %s: %s\n", ex.Request.Method, ex.Request.URL, ex.Unknown)
	}
	pass, fail, other := r.Counts()
	ew.printf("\n%d cases: %d passed, %d failed", len(r.Results), pass, fail)
	if other > 0 {
		if r.DryRun {
			ew.printf(", %d planned", other)
		} else {
			ew.printf(", %d skipped", other)
		}
	}
	if len(r.Unknown) > 0 {
		ew.printf(", %d unknown to the document", len(r.Unknown))
	}
	if !r.DryRun {
		ew.printf(" in %s", r.Duration.Round(1e6))
	}
	ew.printf("\n")
	if r.Unreachable() {
		ew.printf("the target never answered: check --base-url and that it is up\n")
	}
	return ew.err
}

func (r *Report) writeDetail(ew *errWriter, res Result, verbose bool) {
	ew.printf("        %s\n", res.Case.Name)
	for _, f := range res.Failures {
		loc := ""
		if f.Name != "" && f.In != "status" {
			loc = " [" + f.In + " " + f.Name + "]"
		}
		ew.printf("        ✗ %s%s: %s\n", f.Check, loc, f.Message)
	}
	for i, st := range res.Steps {
		status := "no answer"
		if st.Exchange != nil && st.Exchange.Response != nil {
			status = fmt.Sprint(st.Exchange.Response.Status)
		}
		mark := "✓"
		if len(st.Failures) > 0 {
			mark = "✗"
		}
		ew.printf("        %s step %d: %s -> %s\n", mark, i+1, st.Name, status)
		if st.Exchange != nil {
			// A step's notes say what a sequence did not judge, and why.
			for _, n := range st.Exchange.Notes {
				ew.printf("          note: %s\n", n)
			}
		}
	}
	for _, r := range res.Resources {
		ew.printf("        %s\n", r)
	}
	if ex := res.Exchange; ex != nil {
		for _, n := range ex.Notes {
			if len(res.Steps) > 0 {
				break // shown under their steps
			}
			ew.printf("        note: %s\n", n)
		}
		if ex.Response != nil && res.Outcome == Fail {
			ew.printf("        answer: %d %s\n", ex.Response.Status, ex.Response.Header.Get("Content-Type"))
			if b := strings.TrimSpace(ex.Response.Body); b != "" {
				ew.printf("        %s\n", indent(trim(b, bodyShown)))
			}
		}
	}
	if res.Curl != "" {
		ew.printf("        %s\n", indent(res.Curl))
	}
	if verbose && res.CanonicalRequest != "" {
		ew.printf("        canonical request (SDK-HMAC-SHA256):\n          %s\n", strings.ReplaceAll(res.CanonicalRequest, "\n", "\n          "))
	}
	ew.printf("\n")
}

func indent(s string) string { return strings.ReplaceAll(s, "\n", "\n        ") }

// errWriter keeps the first write error so report writers stay linear.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}
