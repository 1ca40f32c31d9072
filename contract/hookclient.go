package contract

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"

	"github.com/hookkit/hookkit/generated"
	"github.com/hookkit/hookkit/openapi"
)

// hookOperation and hookPath identify the hook API the generated client was made for.
const (
	hookOperation = "createProjectHook"
	hookPath      = "/v1/{project_id}/git/repos/{namespace}/{project}/hooks"
)

// hookSender sends positive cases of the hook API through the generated client, so the
// checker exercises the same typed code a Go consumer of the API would use. The generated
// client sends through the validating transport like every other request.
type hookSender struct {
	client *generated.ClientWithResponses
	op     *openapi.Operation
}

// newHookSender returns nil when doc is not the hook API.
func newHookSender(doc *openapi.Document, baseURL string, hc *http.Client, cr credentials) *hookSender {
	op, ok := doc.Operation(hookOperation)
	if !ok || op.Path != hookPath || op.Method != http.MethodPost {
		return nil
	}
	client, err := generated.NewClientWithResponses(baseURL,
		generated.WithHTTPClient(hc),
		generated.WithRequestEditorFn(func(_ context.Context, req *http.Request) error {
			cr.apply(req, op)
			return nil
		}))
	if err != nil {
		return nil
	}
	return &hookSender{client: client, op: op}
}

// fits reports whether a case is a positive hook case whose body the typed model carries
// unchanged (extra fields would be dropped by it).
func (h *hookSender) fits(c Case) bool {
	if c.Operation != hookOperation || c.Kind != Positive || c.NoCredential {
		return false
	}
	var typed generated.HookCreate
	dec := json.NewDecoder(bytes.NewReader(c.Body))
	dec.DisallowUnknownFields()
	return dec.Decode(&typed) == nil
}

func (h *hookSender) send(ctx context.Context, c Case) error {
	var body generated.HookCreate
	if err := json.Unmarshal(c.Body, &body); err != nil {
		return err
	}
	extra := func(_ context.Context, req *http.Request) error {
		for k, vs := range c.Header {
			if k != "Content-Type" && k != "X-Repo-Auth" {
				req.Header[k] = append([]string(nil), vs...)
			}
		}
		return nil
	}
	// The typed answer (JSON200, JSON400) adds nothing the transport has not judged; an
	// error after an answer is a decoding failure that body-schema already reports.
	_, err := h.client.CreateProjectHookWithResponse(ctx,
		c.PathParams["project_id"], c.PathParams["namespace"], c.PathParams["project"],
		&generated.CreateProjectHookParams{XRepoAuth: c.Header.Get("X-Repo-Auth")}, body, extra)
	return err
}
