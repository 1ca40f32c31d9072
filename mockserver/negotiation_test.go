package mockserver_test

import (
	"encoding/xml"
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestAcceptGetsThatMediaType: a client asking for XML or an event stream where the
// operation declares them gets a body of that type, named as the document's xml objects
// say; without Accept (or with */*) it gets JSON; a type the operation does not declare
// gets the first declared one, never a 406 the document does not declare.
func TestAcceptGetsThatMediaType(t *testing.T) {
	t.Parallel()
	m := startDocument(t, "../openapi/testdata/realworld/negotiation.yaml")
	type pet struct {
		XMLName   xml.Name
		ID        string   `xml:"id,attr"`
		Name      string   `xml:"name"`
		PhotoURLs []string `xml:"photoUrls>photoUrl"`
	}
	tests := []struct {
		name, method, path, accept, body string
		wantType                         string
		check                            func(t *testing.T, body []byte)
	}{
		{name: "xml", path: "/pet/7", accept: "application/xml", wantType: "application/xml", check: func(t *testing.T, b []byte) {
			var p pet
			if err := xml.Unmarshal(b, &p); err != nil || p.XMLName.Local != "pet" || p.Name == "" || len(p.PhotoURLs) == 0 {
				t.Errorf("not a <pet> with a name and wrapped photoUrls: %v %+v\n%s", err, p, b)
			}
		}},
		{name: "xml list", path: "/pet/findByStatus?status=sold", accept: "text/html;q=0.5, application/xml", wantType: "application/xml", check: func(t *testing.T, b []byte) {
			var list struct {
				XMLName xml.Name
				Pets    []pet `xml:"pet"`
			}
			if err := xml.Unmarshal(b, &list); err != nil || list.XMLName.Local != "pets" || len(list.Pets) == 0 {
				t.Errorf("not a <pets> list of <pet>: %v\n%s", err, b)
			}
		}},
		{name: "json by default", path: "/pet/7", wantType: "application/json"},
		{name: "json for */*", path: "/pet/7", accept: "*/*", wantType: "application/json"},
		{name: "undeclared type", path: "/pet/7", accept: "image/png", wantType: "application/json"},
		{name: "event stream", method: "POST", path: "/chat/completions", body: `{"model":"m","stream":true}`, accept: "text/event-stream", wantType: "text/event-stream", check: func(t *testing.T, b []byte) {
			if !strings.HasPrefix(string(b), "data: ") || !strings.HasSuffix(string(b), "\n\n") {
				t.Errorf("not an event stream: %q", b)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			method := tt.method
			if method == "" {
				method = "GET"
			}
			req, err := http.NewRequest(method, m.URL+tt.path, strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			if tt.body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			if tt.accept != "" {
				req.Header.Set("Accept", tt.accept)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), tt.wantType) {
				t.Fatalf("%d %s, want 200 %s: %s", resp.StatusCode, resp.Header.Get("Content-Type"), tt.wantType, b)
			}
			if tt.check != nil {
				tt.check(t, b)
			}
		})
	}
}
