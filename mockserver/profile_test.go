package mockserver_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/hookkit/hookkit/mockserver"
	"github.com/hookkit/hookkit/mockserver/config"
	"github.com/hookkit/hookkit/mockserver/mocktest"
	"github.com/hookkit/hookkit/openapi"
)

// lookalike is a document whose error schema has ServiceStage's property names,
// error_code and error_msg, without being the hook API.
const lookalike = `openapi: 3.0.3
info: {title: lookalike, version: "1"}
%s
` + ordersPaths + `        "201":
          description: created
          content:
            application/json:
              schema: {type: object, properties: {id: {type: string}}}
        "400":
          description: invalid
          content:
            application/json:
              schema:
                type: object
                required: [error_code, error_msg]
                properties:
                  error_code: {type: string, example: ORD-17}
                  error_msg: {type: string}
`

// ordersPaths is the createOrder operation of the test documents, up to its responses.
const ordersPaths = `paths:
  /orders:
    post:
      operationId: createOrder
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, required: [item], properties: {item: {type: string}}}
      responses:
`

// TestProfileSelection: the ServiceStage conventions (SVCSTG.REPO ids) are the hook-API
// profile's, not the generic mock's. A document whose error schema merely has the
// property names gets its own declared error body and no SVCSTG text, for invalid
// requests and for the router's 404; the profile turns them on when the config or the
// document names it, and an unknown name is an error naming where it was given.
func TestProfileSelection(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		extension  string
		configYAML string
		wantSVCSTG bool
		wantErr    string
	}{
		{name: "no profile", wantSVCSTG: false},
		{name: "config profile", configYAML: "profile: servicestage\n", wantSVCSTG: true},
		{name: "document extension", extension: "x-hookkit-profile: servicestage", wantSVCSTG: true},
		{name: "unknown in config", configYAML: "profile: nope\n", wantErr: `mock.yaml: profile: unknown profile "nope" (known profiles: servicestage)`},
		{name: "unknown in document", extension: "x-hookkit-profile: other", wantErr: `lookalike.yaml: x-hookkit-profile: unknown profile "other" (known profiles: servicestage)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			doc, err := openapi.Parse([]byte(strings.Replace(lookalike, "%s", tt.extension, 1)), "lookalike.yaml")
			if err != nil {
				t.Fatal(err)
			}
			cfg, err := config.Parse([]byte(tt.configYAML+"seed: 1\n"), "mock.yaml")
			if err != nil {
				t.Fatal(err)
			}
			_, err = mockserver.New(doc, mocktest.HookAPIOptions(mockserver.Options{Config: cfg}))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			m := mocktest.Start(t, mocktest.WithDocument(doc), mocktest.WithConfig(cfg))
			for _, req := range []struct {
				path, body string
				status     int
			}{
				{"/orders", `{"item": 7}`, 400},
				{"/nothing", `{}`, 404},
			} {
				resp, err := http.Post(m.URL+req.path, "application/json", strings.NewReader(req.body))
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != req.status {
					t.Fatalf("%s: %d %s", req.path, resp.StatusCode, body)
				}
				if got := strings.Contains(string(body), "SVCSTG"); got != tt.wantSVCSTG {
					t.Errorf("%s: SVCSTG in %s: %v, want %v", req.path, body, got, tt.wantSVCSTG)
				}
				if req.status != 400 {
					continue
				}
				// The declared schema is honoured either way: the message lands in error_msg.
				if !strings.Contains(string(body), `"error_msg":"body field /item must be of type string"`) {
					t.Errorf("body %s does not carry the message in error_msg", body)
				}
				match, err := doc.Find(http.MethodPost, "/orders")
				if err != nil {
					t.Fatal(err)
				}
				if problems := doc.ValidateResponse(t.Context(), resp.Request, match, 400, resp.Header, body); len(problems) > 0 {
					t.Errorf("error body breaks the declared schema: %v", problems)
				}
				if !tt.wantSVCSTG && !strings.Contains(string(body), `"error_code":"ORD-17"`) {
					t.Errorf("without the profile the body should keep the declared example code: %s", body)
				}
			}
		})
	}
}

// TestProfileNotFoundFollowsErrorResponse: the router's 404 takes the profile's format when
// the response that answers the operations' other rejections (openapi.ErrorResponse for
// the "other" class: 400, 4XX, default, the lowest declared 4xx) has the profile's error
// shape, and only then. A 422 answers body problems alone, so its shape does not decide
// the 404's.
func TestProfileNotFoundFollowsErrorResponse(t *testing.T) {
	t.Parallel()
	const (
		svcSchema   = `{type: object, properties: {error_code: {type: string}, error_msg: {type: string}}}`
		plainSchema = `{type: object, properties: {message: {type: string}}}`
	)
	response := func(status, schema string) string {
		return fmt.Sprintf(`        %q:
          description: rejected
          content:
            application/json:
              schema: %s
`, status, schema)
	}
	tests := []struct {
		name        string
		responses   string
		badBody     int  // status answering a body that breaks its schema
		wantSVCSTG  bool // the 404 is the profile's
		wantProblem bool // the 404 is application/problem+json
	}{
		{
			name:       "lowest declared 4xx has the profile's shape",
			responses:  response("409", svcSchema),
			badBody:    409,
			wantSVCSTG: true,
		},
		{
			name:        "422 has the shape, 4XX answers the rest",
			responses:   response("422", svcSchema) + response("4XX", plainSchema),
			badBody:     422,
			wantProblem: true,
		},
		{
			name:       "400 has the shape, 422 does not",
			responses:  response("400", svcSchema) + response("422", plainSchema),
			badBody:    422,
			wantSVCSTG: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			src := "openapi: 3.0.3\ninfo: {title: statuses, version: \"1\"}\n" + ordersPaths +
				"        \"201\": {description: created}\n" + tt.responses
			doc, err := openapi.Parse([]byte(src), "statuses.yaml")
			if err != nil {
				t.Fatalf("%v\n%s", err, src)
			}
			cfg, err := config.Parse([]byte("profile: servicestage\nseed: 1\n"), "mock.yaml")
			if err != nil {
				t.Fatal(err)
			}
			m := mocktest.Start(t, mocktest.WithDocument(doc), mocktest.WithConfig(cfg))

			resp, err := http.Post(m.URL+"/orders", "application/json", strings.NewReader(`{"item": 7}`))
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.badBody {
				t.Errorf("bad body: %d %s, want %d", resp.StatusCode, body, tt.badBody)
			}

			resp, err = http.Get(m.URL + "/nothing")
			if err != nil {
				t.Fatal(err)
			}
			body, _ = io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusNotFound {
				t.Fatalf("unknown path: %d %s", resp.StatusCode, body)
			}
			if got := strings.Contains(string(body), `"error_code":"SVCSTG.REPO.`); got != tt.wantSVCSTG {
				t.Errorf("unknown path: SVCSTG in %s: %v, want %v", body, got, tt.wantSVCSTG)
			}
			if got := resp.Header.Get("Content-Type") == "application/problem+json"; got != tt.wantProblem {
				t.Errorf("unknown path: Content-Type %q, problem+json %v, want %v", resp.Header.Get("Content-Type"), got, tt.wantProblem)
			}
		})
	}
}
