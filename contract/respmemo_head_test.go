package contract

import (
	"context"
	"net/http"
	"testing"

	"github.com/hookkit/hookkit/openapi"
)

// TestResponseMemoHeadNotGet: a HEAD request routes to the path's GET operation, whose
// response kin-openapi does not judge (a HEAD answer has no body); the verdict on it must
// not be remembered for a GET answered the same way, which is judged.
func TestResponseMemoHeadNotGet(t *testing.T) {
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
            X-Rate: {required: true, schema: {type: integer}}
          content:
            application/json:
              schema: {type: object}
`), "memo.yaml")
	if err != nil {
		t.Fatal(err)
	}
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
