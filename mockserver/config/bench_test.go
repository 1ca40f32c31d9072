package config

import (
	"net/http/httptest"
	"testing"
)

// BenchmarkMatchRespond measures a rule's share of a request: matching over a few rules
// with regexes, then rendering a templated JSON body into a recorder (no network). The
// body numbers the answer with the seq function, which renders through a pooled clone.
func BenchmarkMatchRespond(b *testing.B) { benchMatchRespond(b, "{{ seq }}") }

// BenchmarkMatchRespondDotSeq is BenchmarkMatchRespond numbering with the .Seq field,
// which renders the shared template.
func BenchmarkMatchRespondDotSeq(b *testing.B) { benchMatchRespond(b, "{{ .Seq }}") }

func benchMatchRespond(b *testing.B, seq string) {
	c, err := Parse([]byte(`rules:
  - match: {operation: other}
    respond: {status: 200}
  - match: {headers: {X-Repo-Auth: {regex: "^github-"}}}
    respond: {status: 200}
  - match:
      operation: createProjectHook
      pathParams: {project: {regex: "^app-"}}
      body: {url: {regex: "^https://"}}
    respond:
      status: 200
      headers: {X-Request-Id: "{{ uuid }}"}
      body: {id: "`+seq+`", type: gitlab, callback_url: "{{ .Body.url }}"}
`), "bench.yaml")
	if err != nil {
		b.Fatal(err)
	}
	rs := compile(b, c)
	in := hookInput(nil)
	req := httptest.NewRequest("POST", hookPath, nil)
	b.ReportAllocs()
	for b.Loop() {
		r := rs.Match(in)
		if _, err := r.Respond(httptest.NewRecorder(), req, in); err != nil {
			b.Fatal(err)
		}
	}
}
