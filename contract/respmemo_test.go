package contract

import (
	"context"
	"net/http"
	"testing"

	"github.com/hookkit/hookkit/openapi"
)

// TestResponseMemo: a response judged once is not judged again when the same operation
// answers the same status, Content-Type, declared headers and body; any of these that
// differs is judged anew, a header the response does not declare (Date) is not part of
// it, and each caller gets its own copy of the verdict.
func TestResponseMemo(t *testing.T) {
	t.Parallel()
	doc := memoDoc(t)
	m, err := doc.Find(http.MethodGet, "/things")
	if err != nil {
		t.Fatal(err)
	}
	calls := 0
	check := func() openapi.Problems {
		calls++
		return openapi.Problems{{Kind: openapi.InvalidBody, Message: "judged"}}
	}
	header := func(rate, date string) http.Header {
		return http.Header{"Content-Type": {"application/json"}, "X-Rate": {rate}, "Date": {date}}
	}
	rm := &responseMemo{}
	tests := []struct {
		name   string
		status int
		header http.Header
		body   string
		judged bool
	}{
		{"first", 200, header("1", "Mon"), `{}`, true},
		{"same", 200, header("1", "Mon"), `{}`, false},
		{"another Date", 200, header("1", "Tue"), `{}`, false},
		{"another declared header", 200, header("2", "Tue"), `{}`, true},
		{"another body", 200, header("1", "Mon"), `{"a":1}`, true},
		{"another status", 500, header("1", "Mon"), `{}`, true},
		{"another Content-Type", 200, http.Header{"Content-Type": {"text/plain"}, "X-Rate": {"1"}}, `{}`, true},
	}
	for _, tt := range tests {
		before := calls
		p := rm.validate(check, http.MethodGet, m, tt.status, tt.header, []byte(tt.body))
		if judged := calls > before; judged != tt.judged {
			t.Errorf("%s: judged %v, want %v", tt.name, judged, tt.judged)
		}
		if len(p) != 1 || p[0].Message != "judged" {
			t.Fatalf("%s: verdict %v", tt.name, p)
		}
		p[0].Message = "changed by a caller"
	}
	if p := rm.validate(check, http.MethodGet, m, 200, header("1", "Mon"), []byte(`{}`)); p[0].Message != "judged" {
		t.Errorf("a caller's change reached the memory: %v", p)
	}
	var none *responseMemo
	before := calls
	none.validate(check, http.MethodGet, m, 200, header("1", "Mon"), []byte(`{}`))
	none.validate(check, http.MethodGet, m, 200, header("1", "Mon"), []byte(`{}`))
	if calls != before+2 {
		t.Error("a nil memo must judge every time")
	}
}

// memoDoc is the document of the memo's tests: one GET whose 200 declares a required
// header and a JSON body.
func memoDoc(t *testing.T) *openapi.Document {
	t.Helper()
	doc, err := openapi.Parse([]byte(`openapi: 3.0.3
info: {title: memo, version: "1"}
paths:
  /things:
    get:
      responses:
        "200":
          description: ok
          headers:
            X-Rate: {required: true, schema: {type: integer}}
          content:
            application/json:
              schema: {type: object}
`), "memo.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestResponseMemoHeadNotGet: a HEAD request routes to the path's GET operation, whose
// answer kin-openapi does not judge (a HEAD answer has no body); the verdict on it is
// not remembered for a GET answered the same way, which is judged, nor the other way.
func TestResponseMemoHeadNotGet(t *testing.T) {
	t.Parallel()
	doc := memoDoc(t)
	judge := func(v *validator, method string) openapi.Problems {
		req, _ := http.NewRequest(method, "http://x/things", nil)
		a := v.assess(context.Background(), &observed{req: req, reqComplete: true, answered: true,
			status: 200, header: http.Header{}, respComplete: true})
		return a.responseProblems
	}
	fresh := func() *validator {
		return &validator{doc: doc, redactor: doc.Redactor(), verdicts: &responseMemo{}}
	}
	want := len(judge(fresh(), http.MethodGet))
	if want == 0 {
		t.Fatal("a GET answered without its required header and body must have problems")
	}
	v := fresh()
	judge(v, http.MethodHead)
	if got := judge(v, http.MethodGet); len(got) != want {
		t.Errorf("GET after HEAD: %d problems %v, judged alone %d", len(got), got, want)
	}
	v = fresh()
	judge(v, http.MethodGet)
	if got := judge(v, http.MethodHead); len(got) != 0 {
		t.Errorf("HEAD after GET got GET's problems: %v", got)
	}
}
