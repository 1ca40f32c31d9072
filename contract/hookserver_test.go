package contract_test

import (
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/hookkit/hookkit/contract"
)

// hookAnswer is what the test hook server sends: a compliant server answers with the
// defaults; each rule-breaking variant changes one thing.
type hookAnswer struct {
	status      int
	contentType string
	body        string
}

// hookServer is a compliant implementation of the hook API, with hooks to break one rule
// at a time: ok rewrites the answer to a valid request, and accept lets chosen invalid
// requests through as if they were valid.
type hookServer struct {
	ok     func(r *http.Request, a *hookAnswer)
	reject func(r *http.Request, reason string, a *hookAnswer)
	accept map[string]bool // reasons the server wrongly lets through
}

func (h hookServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a := h.answer(r)
	w.Header().Set("Content-Type", a.contentType)
	w.WriteHeader(a.status)
	_, _ = w.Write([]byte(a.body))
}

func (h hookServer) answer(r *http.Request) hookAnswer {
	if reason := h.invalid(r); reason != "" && !h.accept[reason] {
		msg, _ := json.Marshal(map[string]string{"error_code": "SVCSTG.REPO.0400", "error_msg": reason})
		a := hookAnswer{status: 400, contentType: "application/json", body: string(msg)}
		if h.reject != nil {
			h.reject(r, reason, &a)
		}
		return a
	}
	a := hookAnswer{status: 200, contentType: "application/json",
		body: `{"id":"1573","type":"github","callback_url":"https://example.com/webhook"}`}
	if h.ok != nil {
		h.ok(r, &a)
	}
	return a
}

// invalid returns why a request breaks the hook API, or "".
func (h hookServer) invalid(r *http.Request) string {
	parts := strings.Split(strings.TrimPrefix(r.URL.EscapedPath(), "/"), "/")
	if r.Method != http.MethodPost || len(parts) != 7 || parts[0] != "v1" || parts[2] != "git" || parts[3] != "repos" || parts[6] != "hooks" {
		return "no such operation"
	}
	switch r.Header.Get("X-Auth-Token") {
	case "":
		return "missing-token"
	case contract.InvalidCredential: // a token the server does not know
		return "wrong-token"
	}
	if r.Header.Get("X-Repo-Auth") == "" {
		return "missing-repo-auth"
	}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		return "content-type"
	}
	raw, err := io.ReadAll(r.Body)
	if err != nil || len(raw) == 0 {
		return "missing-body"
	}
	var body map[string]any
	if err := json.Unmarshal(raw, &body); err != nil {
		return "malformed-json"
	}
	for _, f := range []string{"secret", "url"} {
		v, ok := body[f]
		if !ok {
			return "missing-" + f
		}
		s, ok := v.(string)
		if !ok {
			return "wrong-type-" + f
		}
		if f == "url" {
			if u, err := url.Parse(s); err != nil || u.Scheme == "" {
				return "invalid-url"
			}
		}
	}
	return ""
}
