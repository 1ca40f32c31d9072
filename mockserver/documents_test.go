package mockserver_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/hookkit/hookkit/mockserver/mocktest"
	"github.com/hookkit/hookkit/openapi"
)

// documents returns the hook document and every document in testdata.
func documents(t *testing.T) map[string]*openapi.Document {
	t.Helper()
	docs := map[string]*openapi.Document{}
	hook, err := openapi.Default()
	if err != nil {
		t.Fatal(err)
	}
	docs["hooks"] = hook
	files, err := filepath.Glob("testdata/*.yaml")
	if err != nil || len(files) < 3 {
		t.Fatalf("testdata documents: %v (%d found)", err, len(files))
	}
	for _, f := range files {
		d, err := openapi.Load(f)
		if err != nil {
			t.Fatal(err)
		}
		docs[filepath.Base(f)] = d
	}
	return docs
}

// validRequest builds a request op accepts: path, required query and header parameters,
// the credential of its security scheme, and a body from the first example of the first
// media type, else synthesized. It fails the test when it cannot.
func validRequest(t *testing.T, doc *openapi.Document, base string, op *openapi.Operation, unbuildable *bool) *http.Request {
	t.Helper()
	value := func(p *openapi3.Parameter) string {
		if v, ok := openapi.ParameterExample(p); ok {
			return fmt.Sprint(v)
		}
		v, err := doc.Synthesize(p.Schema, openapi.SynthOptions{Seed: 7, Direction: openapi.Request})
		if err != nil {
			t.Fatalf("%s: parameter %s: %v", op.ID, p.Name, err)
		}
		if f, ok := v.(float64); ok {
			return strconv.FormatFloat(f, 'f', -1, 64)
		}
		return fmt.Sprint(v)
	}
	path := op.Path
	query := url.Values{}
	header := http.Header{}
	for _, ref := range op.Parameters() {
		p := ref.Value
		switch {
		case p.In == "path":
			path = strings.Replace(path, "{"+p.Name+"}", url.PathEscape(value(p)), 1)
		case p.In == "query" && p.Required:
			query.Set(p.Name, value(p))
		case p.In == "header" && p.Required:
			header.Set(p.Name, value(p))
		}
	}
	security := doc.T.Security
	if op.Operation.Security != nil {
		security = *op.Operation.Security
	}
	if len(security) > 0 {
		for name := range security[0] {
			s := doc.T.Components.SecuritySchemes[name].Value
			switch {
			case s.Type == "apiKey" && s.In == "header":
				header.Set(s.Name, token)
			case s.Type == "apiKey" && s.In == "query":
				query.Set(s.Name, token)
			case s.Type == "apiKey" && s.In == "cookie":
				header.Add("Cookie", s.Name+"="+token)
			case s.Type == "http" && strings.EqualFold(s.Scheme, "basic"):
				header.Set("Authorization", "Basic dXNlcjpwYXNz")
			default:
				header.Set("Authorization", "Bearer "+token)
			}
		}
	}
	var body io.Reader
	if rb := op.Operation.RequestBody; rb != nil && rb.Value != nil && len(rb.Value.Content) > 0 {
		types := make([]string, 0, len(rb.Value.Content))
		for mt := range rb.Value.Content {
			types = append(types, mt)
		}
		sort.Slice(types, func(i, j int) bool { return strings.Contains(types[i], "json") && !strings.Contains(types[j], "json") })
		mt := types[0]
		media := rb.Value.Content[mt]
		var v any
		if exs := openapi.MediaExamples(media); len(exs) > 0 {
			v = exs[0].Value
		} else {
			var err error
			// Seed 0 is the synthesizer's canonical value (examples and defaults first).
			for _, seed := range []uint64{0, 7, 8, 9} {
				if v, err = doc.Synthesize(media.Schema, openapi.SynthOptions{Seed: seed, Direction: openapi.Request}); err == nil {
					break
				}
			}
			if err != nil {
				// Some schemas admit no value at all (allOf with additionalProperties: false
				// in one branch and a property of another): no request is valid, and the
				// mock must still answer within the document.
				t.Logf("%s: no valid body exists, sending {} instead: %v", op.ID, err)
				*unbuildable = true
				v = map[string]any{}
			}
		}
		var b []byte
		switch {
		case strings.Contains(mt, "json"):
			b, _ = json.Marshal(v)
		case strings.Contains(mt, "form-urlencoded"):
			form := url.Values{}
			for k, fv := range v.(map[string]any) {
				form.Set(k, fmt.Sprint(fv))
			}
			b = []byte(form.Encode())
		default:
			b = []byte(fmt.Sprint(v))
		}
		body = bytes.NewReader(b)
		header.Set("Content-Type", mt)
	}
	u := base + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	req, err := http.NewRequest(op.Method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	return req
}

// declaredStatuses lists one status per response key of op (4XX -> 400, default -> 500).
func declaredStatuses(op *openapi.Operation) []int {
	var out []int
	for key := range op.Operation.Responses.Map() {
		switch n, err := strconv.Atoi(key); {
		case err == nil:
			out = append(out, n)
		case key == "default":
			out = append(out, 500)
		default:
			out = append(out, int(key[0]-'0')*100)
		}
	}
	sort.Ints(out)
	return out
}

// TestEveryResponseValidates sends every operation of every document a valid request,
// then asks for each declared status with Prefer, each named example, and dynamic data,
// and validates every answer against the document.
func TestEveryResponseValidates(t *testing.T) {
	t.Parallel()
	for name, doc := range documents(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			m := mocktest.Start(t, mocktest.WithDocument(doc))
			for _, op := range doc.Operations {
				t.Run(op.ID, func(t *testing.T) {
					unbuildable := false
					check := func(what string, prefer string, wantStatus int) {
						t.Helper()
						req := validRequest(t, doc, m.URL, op, &unbuildable)
						if unbuildable {
							wantStatus = 0
						}
						if prefer != "" {
							req.Header.Set("Prefer", prefer)
						}
						match, err := doc.Find(req.Method, req.URL.EscapedPath())
						if err != nil {
							t.Fatalf("%s: test request does not route: %v", what, err)
						}
						r := do(t, req)
						if wantStatus != 0 && r.status != wantStatus {
							t.Fatalf("%s: status %d, want %d: %s", what, r.status, wantStatus, r.body)
						}
						if r.status >= 400 && wantStatus == 0 && !unbuildable {
							t.Fatalf("%s: valid request answered %d: %s", what, r.status, r.body)
						}
						if req.Method == http.MethodHead {
							r.body = nil
						}
						if ps := doc.ValidateResponse(context.Background(), req, match, r.status, r.header, r.body); len(ps) > 0 {
							t.Errorf("%s: response %d breaks the document: %v\nheaders %v\nbody %s", what, r.status, ps, r.header, r.body)
						}
					}
					check("plain", "", 0)
					check("dynamic", "dynamic=true", 0)
					for _, status := range declaredStatuses(op) {
						check(fmt.Sprintf("code=%d", status), fmt.Sprintf("code=%d", status), status)
						check(fmt.Sprintf("code=%d dynamic", status), fmt.Sprintf("code=%d, dynamic=true", status), status)
					}
					for key, ref := range op.Operation.Responses.Map() {
						status := 0
						if n, err := strconv.Atoi(key); err == nil {
							status = n
						}
						for _, media := range ref.Value.Content {
							for _, ex := range openapi.MediaExamples(media) {
								prefer := "example=" + ex.Name
								if status != 0 {
									prefer = fmt.Sprintf("code=%d, %s", status, prefer)
								}
								check(prefer, prefer, status)
							}
						}
					}
				})
			}
		})
	}
}
