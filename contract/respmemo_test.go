package contract

import (
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
	doc, err := openapi.Parse([]byte(`openapi: 3.0.3
info: {title: memo, version: "1"}
paths:
  /things:
    get:
      responses:
        "200":
          description: ok
          headers:
            X-Rate: {schema: {type: integer}}
          content:
            application/json:
              schema: {type: object}
`), "memo.yaml")
	if err != nil {
		t.Fatal(err)
	}
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
