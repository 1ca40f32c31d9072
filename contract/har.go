package contract

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hookkit/hookkit/openapi"
)

// HAR 1.2, the parts the checker reads (http://www.softwareishard.com/blog/har-12-spec/).
type harFile struct {
	Log struct {
		Version string     `json:"version"`
		Entries []harEntry `json:"entries"`
	} `json:"log"`
}

type harEntry struct {
	StartedDateTime string  `json:"startedDateTime"`
	Time            float64 `json:"time"` // milliseconds
	Request         struct {
		Method   string      `json:"method"`
		URL      string      `json:"url"`
		Headers  []harHeader `json:"headers"`
		PostData *struct {
			MimeType string `json:"mimeType"`
			Text     string `json:"text"`
		} `json:"postData"`
	} `json:"request"`
	Response struct {
		Status  int         `json:"status"`
		Headers []harHeader `json:"headers"`
		Content struct {
			MimeType string `json:"mimeType"`
			Text     string `json:"text"`
			Encoding string `json:"encoding"`
		} `json:"content"`
	} `json:"response"`
}

type harHeader struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// HAROptions tune [CheckHAR].
type HAROptions struct {
	// Source names the HAR file in the report.
	Source string
	// MaxResponseTime, when positive, fails entries whose recorded time exceeds it.
	MaxResponseTime time.Duration
	// BodyLimit is the largest body validated (DefaultBodyLimit when 0).
	BodyLimit int64
}

// CheckHAR validates every request/response pair of a HAR 1.2 log (as browsers' devtools
// export it) with the same checks as live traffic: each entry becomes a recorded case that
// fails on request-valid and on every response check. Entries for paths or methods the
// document does not declare are listed in Report.Unknown, not failed. Entries without an
// answer (status 0: blocked or cancelled in the browser) are skipped.
func CheckHAR(ctx context.Context, doc *openapi.Document, r io.Reader, opts HAROptions) (*Report, error) {
	var har harFile
	dec := json.NewDecoder(r)
	if err := dec.Decode(&har); err != nil {
		return nil, fmt.Errorf("%s: not a HAR file: %w", opts.Source, err)
	}
	if har.Log.Version == "" && har.Log.Entries == nil {
		return nil, fmt.Errorf("%s: not a HAR file: no log.entries", opts.Source)
	}
	limit := opts.BodyLimit
	if limit <= 0 {
		limit = DefaultBodyLimit
	}
	v := &validator{doc: doc, redactor: doc.Redactor(), maxTime: opts.MaxResponseTime, verdicts: &responseMemo{}}
	rep := &Report{Document: doc.Source, Target: opts.Source, Started: time.Now()}
	for i, e := range har.Log.Entries {
		o, err := e.observed(ctx, limit)
		if err != nil {
			return nil, fmt.Errorf("%s: entry %d: %w", opts.Source, i, err)
		}
		ex := v.judge(ctx, o)
		if ex.Unknown != "" {
			rep.Unknown = append(rep.Unknown, ex)
			continue
		}
		c := Case{ID: fmt.Sprintf("%s/recorded/%d", ex.Operation, i+1), Operation: ex.Operation, Kind: Recorded,
			Name: fmt.Sprintf("entry %d: %s %s", i+1, ex.Request.Method, ex.Request.URL), Method: o.req.Method}
		res := Result{Case: c, Exchange: ex}
		switch {
		case !o.answered:
			res.Outcome, res.Reason = Skipped, "no answer recorded"
		default:
			res.Failures = ex.Violations()
			res.Outcome = Pass
			if len(res.Failures) > 0 {
				res.Outcome = Fail
			}
		}
		rep.Results = append(rep.Results, res)
	}
	rep.Duration = time.Since(rep.Started)
	return rep, nil
}

func (e harEntry) observed(ctx context.Context, limit int64) (observed, error) {
	u, err := url.Parse(e.Request.URL)
	if err != nil {
		return observed{}, fmt.Errorf("request url: %w", err)
	}
	var body []byte
	if e.Request.PostData != nil {
		body = []byte(e.Request.PostData.Text)
	}
	req, err := http.NewRequestWithContext(ctx, strings.ToUpper(e.Request.Method), u.String(), nil)
	if err != nil {
		return observed{}, err
	}
	for _, h := range e.Request.Headers {
		if strings.HasPrefix(h.Name, ":") { // HTTP/2 pseudo-headers
			continue
		}
		req.Header.Add(h.Name, h.Value)
	}
	if req.Header.Get("Content-Type") == "" && e.Request.PostData != nil && e.Request.PostData.MimeType != "" {
		req.Header.Set("Content-Type", e.Request.PostData.MimeType)
	}
	o := observed{req: req, reqBody: body, reqComplete: int64(len(body)) <= limit,
		duration: time.Duration(e.Time * float64(time.Millisecond))}
	if e.Response.Status == 0 {
		return o, nil
	}
	o.answered, o.status, o.header = true, e.Response.Status, http.Header{}
	for _, h := range e.Response.Headers {
		if strings.EqualFold(h.Name, "Content-Encoding") {
			// Devtools record the decoded body; the encoding no longer applies to it.
			continue
		}
		o.header.Add(h.Name, h.Value)
	}
	if o.header.Get("Content-Type") == "" && e.Response.Content.MimeType != "" {
		o.header.Set("Content-Type", e.Response.Content.MimeType)
	}
	text := []byte(e.Response.Content.Text)
	if e.Response.Content.Encoding == "base64" {
		if text, err = base64.StdEncoding.DecodeString(e.Response.Content.Text); err != nil {
			return o, fmt.Errorf("response content: %w", err)
		}
	}
	o.respBody, o.respComplete = text, int64(len(text)) <= limit
	if !o.respComplete {
		o.respBody = text[:limit]
	}
	return o, nil
}
