package contract

import (
	"encoding/json"
	"io"
)

// WriteJSON writes the report as indented JSON: the Report structure with its json tags
// (durations in nanoseconds). The shape is stable; fields are only ever added.
func (r *Report) WriteJSON(w io.Writer) error {
	pass, fail, other := r.Counts()
	out := struct {
		*Report
		Summary struct {
			Total   int `json:"total"`
			Passed  int `json:"passed"`
			Failed  int `json:"failed"`
			Skipped int `json:"skipped"`
			Unknown int `json:"unknown"`
		} `json:"summary"`
		ExitCode int `json:"exit_code"`
	}{Report: r, ExitCode: r.ExitCode()}
	out.Summary.Total, out.Summary.Passed, out.Summary.Failed, out.Summary.Skipped = len(r.Results), pass, fail, other
	out.Summary.Unknown = len(r.Unknown)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}
