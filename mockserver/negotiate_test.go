package mockserver

import (
	"net/http"
	"slices"
	"testing"
)

func TestNegotiate(t *testing.T) {
	t.Parallel()
	declared := orderMediaTypes([]string{"text/plain", "application/xml", "application/json"})
	if declared[0] != "application/json" {
		t.Fatalf("order = %v, want application/json first", declared)
	}
	tests := []struct{ accept, want string }{
		{"", "application/json"},
		{"*/*", "application/json"},
		{"text/plain", "text/plain"},
		{"text/*", "text/plain"},
		{"application/xml;q=0.9, text/plain;q=0.5", "application/xml"},
		{"text/plain;q=0.1, */*;q=0.5", "application/json"},
		{"image/png", "application/json"}, // nothing acceptable: never 406, the first declared type
		{"text/plain;q=0, application/xml", "application/xml"},
		{"not a media type", "application/json"},
	}
	for _, tc := range tests {
		if got := negotiate(tc.accept, declared); got != tc.want {
			t.Errorf("negotiate(%q) = %q, want %q", tc.accept, got, tc.want)
		}
	}
	// JSON types come next, as openapi.IsJSON knows them: text/json is not one.
	got := orderMediaTypes([]string{"text/json", "application/xml", "Application/Problem+JSON; charset=utf-8", "application/JSON"})
	want := []string{"application/JSON", "Application/Problem+JSON; charset=utf-8", "application/xml", "text/json"}
	if !slices.Equal(got, want) {
		t.Errorf("order = %q, want %q", got, want)
	}
}

func TestParsePrefer(t *testing.T) {
	t.Parallel()
	tests := []struct {
		header []string
		want   prefer
		err    bool
	}{
		{nil, prefer{}, false},
		{[]string{"code=400"}, prefer{code: 400}, false},
		{[]string{"code=400, example=bad, dynamic=true"}, prefer{code: 400, example: "bad", dynamic: true}, false},
		{[]string{`example="x y"; code=201`}, prefer{code: 201, example: "x y"}, false},
		{[]string{"code=200", "dynamic=false"}, prefer{code: 200}, false},
		{[]string{"return=minimal, respond-async"}, prefer{}, false},
		{[]string{"code=99"}, prefer{}, true},
		{[]string{"code=abc"}, prefer{}, true},
	}
	for _, tc := range tests {
		h := http.Header{"Prefer": tc.header}
		got, err := parsePrefer(h)
		if (err != nil) != tc.err || (!tc.err && got != tc.want) {
			t.Errorf("parsePrefer(%q) = %+v, %v; want %+v, error %v", tc.header, got, err, tc.want, tc.err)
		}
	}
}

func TestContentTypeFor(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"application/json":                "application/json",
		"text/plain":                      "text/plain; charset=utf-8",
		"text/*":                          "text/plain; charset=utf-8",
		"*/*":                             "application/octet-stream",
		"application/json; charset=utf-8": "application/json; charset=utf-8",
	}
	for in, want := range tests {
		if got := contentTypeFor(in); got != want {
			t.Errorf("contentTypeFor(%q) = %q, want %q", in, got, want)
		}
	}
}
