package contract_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/hookkit/hookkit/contract"
	"github.com/hookkit/hookkit/mockserver"
	"github.com/hookkit/hookkit/mockserver/mocktest"
	"github.com/hookkit/hookkit/openapi"
)

// TestCheckNegotiation runs the checker against servers that each get content negotiation
// of negotiation.yaml wrong in one way (every other answer comes from the mock, which gets
// it right) and wants exactly that reported.
func TestCheckNegotiation(t *testing.T) {
	t.Parallel()
	doc, err := openapi.Load("../openapi/testdata/realworld/negotiation.yaml")
	if err != nil {
		t.Fatal(err)
	}
	mock, err := mockserver.New(doc, mocktest.HookAPIOptions(mockserver.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	answer := func(ct, body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", ct)
			_, _ = w.Write([]byte(body))
		}
	}
	tests := []struct {
		name string
		flaw func(r *http.Request) http.HandlerFunc // nil: the mock answers
		want []string
	}{
		{name: "compliant (the mock)", flaw: func(*http.Request) http.HandlerFunc { return nil }},
		{name: "JSON labelled as XML", flaw: func(r *http.Request) http.HandlerFunc {
			if r.Header.Get("Accept") == "application/xml" && r.URL.Path != "/pet/findByStatus" {
				return answer("application/xml", `{"name":"rex","photoUrls":[]}`)
			}
			return nil
		}, want: []string{"getPetById/positive/accept-application-xml body-schema"}},
		{name: "Accept ignored", flaw: func(r *http.Request) http.HandlerFunc {
			if r.Header.Get("Accept") == "application/xml" && r.URL.Path != "/pet/findByStatus" {
				return answer("application/json", `{"name":"rex","photoUrls":[]}`)
			}
			return nil
		}, want: []string{"getPetById/positive/accept-application-xml content-type"}},
		{name: "JSON sent as an event stream", flaw: func(r *http.Request) http.HandlerFunc {
			if r.Header.Get("Accept") == "text/event-stream" {
				return answer("text/event-stream", `{"id":"1","object":"chat.completion"}`)
			}
			return nil
		}, want: []string{"createChatCompletion/positive/accept-text-event-stream body-schema"}},
		{name: "an HTML error page is fine", flaw: func(r *http.Request) http.HandlerFunc {
			if st := r.URL.Query().Get("status"); r.URL.Path == "/pet/findByStatus" && st != "available" && st != "pending" && st != "sold" {
				return func(w http.ResponseWriter, _ *http.Request) {
					w.Header().Set("Content-Type", "text/html; charset=utf-8")
					w.WriteHeader(400)
					_, _ = w.Write([]byte("<!doctype html><html><body><h1>Bad status</h1><p>Authorization header ignored</p></body></html>"))
				}
			}
			return nil
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if f := tt.flaw(r); f != nil {
					f(w, r)
					return
				}
				mock.ServeHTTP(w, r)
			})
			rep := runCheck(t, doc, h, func(o *contract.Options) { o.Set = nil; o.Positive = 1 })
			if got := failed(rep); !slices.Equal(got, tt.want) {
				var b strings.Builder
				_ = rep.WriteText(&b, false)
				t.Errorf("failures\n got %q\nwant %q\n%s", got, tt.want, b.String())
			}
			pass, _, _ := rep.Counts()
			if pass == 0 {
				t.Error("nothing passed")
			}
			if strings.HasPrefix(tt.name, "an HTML error page") {
				// A page that only names the Authorization header is shown, not withheld.
				for _, r := range rep.Results {
					if r.Case.ID == "findPetsByStatus/negative/missing-query-status" && !strings.Contains(r.Exchange.Response.Body, "<p>Authorization header ignored</p>") {
						t.Errorf("the HTML page is not shown in the report: %q", r.Exchange.Response.Body)
					}
				}
			}
		})
	}
}
