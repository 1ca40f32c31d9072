package contract

import (
	"time"
)

// Outcome is what became of a case.
type Outcome string

const (
	Pass    Outcome = "pass"
	Fail    Outcome = "fail"
	Skipped Outcome = "skipped" // not sent: --max-requests reached, target unreachable, cancelled
	Planned Outcome = "planned" // --dry-run: nothing is sent
)

// Report is the result of a run: one Result per case, in plan order. Everything in it is
// redacted and safe to print, store and upload.
type Report struct {
	// Document is the document's source (a file or embedded:hooks.yaml).
	Document string `json:"document"`
	// Target is the base URL checked, or the HAR file read.
	Target string `json:"target"`
	Seed   uint64 `json:"seed"`
	DryRun bool   `json:"dry_run,omitempty"`
	// Started and Duration time the run.
	Started  time.Time     `json:"started"`
	Duration time.Duration `json:"duration_ns"`
	Results  []Result      `json:"results"`
	// Unknown lists exchanges (HAR mode) for paths or methods the document does not
	// declare: listed, not failed.
	Unknown []*Exchange `json:"unknown,omitempty"`
}

// Result is one case and what the target did with it.
type Result struct {
	Case    Case    `json:"case"`
	Outcome Outcome `json:"outcome"`
	// Failures are the failed checks; empty when the case passed.
	Failures []Finding `json:"failures,omitempty"`
	// Reason says why a case was skipped.
	Reason string `json:"reason,omitempty"`
	// Exchange is the request sent and the answer received (nil when nothing was sent).
	Exchange *Exchange `json:"exchange,omitempty"`
	// Curl reproduces the request; the token shows as $TOKEN. For a stateful case it
	// reproduces every step, in order.
	Curl string `json:"curl,omitempty"`
	// CanonicalRequest is what the AK/SK signature of the request covers (shown with -v),
	// "" for unsigned requests.
	CanonicalRequest string `json:"canonical_request,omitempty"`
	// Steps are the requests of a stateful case, each with its exchange and failures.
	Steps []Step `json:"steps,omitempty"`
	// Resources says what a stateful case created and deleted on the target.
	Resources []string `json:"resources,omitempty"`
}

// Counts returns how many cases passed, failed and were skipped or only planned.
func (r *Report) Counts() (pass, fail, other int) {
	for _, res := range r.Results {
		switch res.Outcome {
		case Pass:
			pass++
		case Fail:
			fail++
		default:
			other++
		}
	}
	return pass, fail, other
}

// Passed reports whether no case failed.
func (r *Report) Passed() bool {
	_, fail, _ := r.Counts()
	return fail == 0
}

// Unreachable reports whether the target never answered: every case that was sent failed
// the reachable check.
func (r *Report) Unreachable() bool {
	sent := 0
	for _, res := range r.Results {
		if res.Exchange == nil {
			continue
		}
		sent++
		if res.Exchange.Response != nil {
			return false
		}
	}
	return sent > 0
}

// ExitCode is the process exit code hookkit check uses: 0 when every case passed, 1 when
// a violation was found, 3 when the target never answered.
func (r *Report) ExitCode() int {
	switch {
	case r.Unreachable():
		return 3
	case !r.Passed():
		return 1
	}
	return 0
}
