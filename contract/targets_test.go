package contract_test

import (
	"strings"
	"testing"

	"github.com/hookkit/hookkit/contract"
	"github.com/hookkit/hookkit/openapi"
)

func TestParseBaseURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want, wantErr string
	}{
		{in: "http://127.0.0.1:4010", want: "http://127.0.0.1:4010"},
		{in: "https://staging.example.com/api", want: "https://staging.example.com/api"},
		{in: "127.0.0.1:4010", wantErr: `"127.0.0.1:4010" has no scheme: add http:// or https:// (e.g. http://127.0.0.1:4010)`},
		{in: "localhost:4010", wantErr: `"localhost:4010" has no scheme: add http:// or https:// (e.g. http://localhost:4010)`},
		{in: "staging.example.com", wantErr: `add http:// or https:// (e.g. http://staging.example.com)`},
		{in: "", wantErr: "empty URL"},
		{in: "ftp://x", wantErr: `scheme "ftp" is not supported`},
		{in: "http:///v1", wantErr: "has no host"},
		{in: "http://[::1", wantErr: "is not a URL: missing ']' in host"},
		{in: "user:s3cr3t-pw@127.0.0.1:4010", wantErr: `"xxxxx@127.0.0.1:4010" has no scheme`},
		{in: "ftp://user:s3cr3t-pw@x/p@q", wantErr: `"ftp://xxxxx@x/p@q": scheme "ftp"`},
		{in: "http://user:s3cr3t-pw@[::1", wantErr: `"http://xxxxx@[::1" is not a URL`},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			u, err := contract.ParseBaseURL(tc.in)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				if strings.Contains(err.Error(), "s3cr3t-pw") {
					t.Errorf("the error shows the password: %v", err)
				}
				return
			}
			if err != nil || u.String() != tc.want {
				t.Errorf("got %v, %v; want %s", u, err, tc.want)
			}
		})
	}
}

func TestRequiredCredentials(t *testing.T) {
	t.Parallel()
	tests := []struct {
		spec string
		want string
	}{
		{spec: "", want: "apiKey header X-Auth-Token"},
		{spec: "../mockserver/testdata/crud.yaml", want: "http bearer"},
		{spec: "../mockserver/testdata/media.yaml", want: "apiKey query api_key"},
		{spec: "../mockserver/testdata/schemas.yaml", want: "apiKey header X-API-Key"},
		{spec: "testdata/inventory.yaml", want: "http bearer"},
		{spec: "inline", want: ""},
	}
	for _, tc := range tests {
		t.Run(tc.spec, func(t *testing.T) {
			t.Parallel()
			doc := hookDoc(t)
			switch tc.spec {
			case "":
			case "inline": // security only optional: an empty alternative {}
				var err error
				doc, err = openapi.Parse([]byte(`openapi: 3.0.3
info: {title: t, version: "1"}
security: [{key: []}, {}]
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
paths:
  /x:
    get:
      responses:
        "200": {description: ok}
`), "inline.yaml")
				if err != nil {
					t.Fatal(err)
				}
			default:
				var err error
				if doc, err = openapi.Load(tc.spec); err != nil {
					t.Fatal(err)
				}
			}
			if got := strings.Join(contract.RequiredCredentials(doc), "; "); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
