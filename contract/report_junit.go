package contract

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// JUnit XML as CI systems (Jenkins, GitLab, GitHub actions reporters) read it: one
// testsuite per operation, one testcase per case, a failure element per failed case whose
// text is the same detail the text report prints.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Time     string      `xml:"time,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

// WriteJUnit writes the report as JUnit XML.
func (r *Report) WriteJUnit(w io.Writer) error {
	root := junitSuites{Name: "hookkit check " + r.Document, Time: seconds(r.Duration.Seconds())}
	index := map[string]int{}
	var suiteTime []float64
	for _, res := range r.Results {
		i, ok := index[res.Case.Operation]
		if !ok {
			i = len(root.Suites)
			index[res.Case.Operation] = i
			root.Suites = append(root.Suites, junitSuite{Name: res.Case.Operation})
			suiteTime = append(suiteTime, 0)
		}
		s := &root.Suites[i]
		tc := junitCase{Name: res.Case.ID + ": " + res.Case.Name, Classname: res.Case.Operation, Time: "0.000"}
		if res.Exchange != nil {
			tc.Time = seconds(res.Exchange.Duration.Seconds())
			suiteTime[i] += res.Exchange.Duration.Seconds()
		}
		s.Time = seconds(suiteTime[i])
		switch res.Outcome {
		case Fail:
			checks := make([]string, 0, len(res.Failures))
			for _, f := range res.Failures {
				checks = append(checks, string(f.Check))
			}
			var b strings.Builder
			(&Report{}).writeDetail(&errWriter{w: &b}, res, false)
			tc.Failure = &junitFailure{Message: res.Failures[0].Message, Type: strings.Join(checks, ","), Text: b.String()}
			s.Failures++
			root.Failures++
		case Skipped, Planned:
			reason := res.Reason
			if res.Outcome == Planned {
				reason = "dry run"
			}
			tc.Skipped = &junitSkipped{Message: reason}
			s.Skipped++
			root.Skipped++
		}
		s.Tests++
		root.Tests++
		s.Cases = append(s.Cases, tc)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(root); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func seconds(s float64) string { return fmt.Sprintf("%.3f", s) }
