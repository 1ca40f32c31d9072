package webhook

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/hookkit/hookkit/internal/uuid"
)

// Hook types with a delivery format.
const (
	GitHub = "github"
	GitLab = "gitlab"
)

// Events.
const (
	Ping    = "ping"
	Push    = "push"
	TagPush = "tag_push"
)

// Headers that carry the secret or a signature made with it: redact them wherever a
// delivery is shown.
const (
	HeaderGitHubSignature = "X-Hub-Signature-256"
	HeaderGitLabToken     = "X-Gitlab-Token"
)

// SecretHeaders lists the headers of a delivery that must never be shown.
func SecretHeaders() []string {
	return []string{HeaderGitHubSignature, "X-Hub-Signature", HeaderGitLabToken}
}

// events lists each type's events and the name its event header gives them.
var events = map[string]map[string]string{
	GitHub: {Ping: "ping", Push: "push"},
	GitLab: {Ping: "Push Hook", Push: "Push Hook", TagPush: "Tag Push Hook"},
}

// Types returns the hook types with a delivery format, sorted.
func Types() []string { return []string{GitHub, GitLab} }

// Events returns the events a type supports, sorted.
func Events(typ string) []string {
	var out []string
	for e := range events[typ] {
		out = append(out, e)
	}
	sort.Strings(out)
	return out
}

// Hook is what a delivery says about the hook and its repository.
type Hook struct {
	ID          string
	CallbackURL string
	Namespace   string // repository namespace (owner, group)
	Project     string // repository name; ServiceStage's "group:app" means group/app
}

// Delivery is one webhook request, ready to send.
type Delivery struct {
	ID     string // the delivery's UUID (X-GitHub-Delivery, X-Gitlab-Event-UUID)
	Type   string
	Event  string
	Header http.Header // includes the secret-bearing header: never show it unredacted
	Body   []byte
}

// Request returns an HTTP POST of the delivery to url.
func (d *Delivery) Request(url string) (*http.Request, error) {
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(string(d.Body)))
	if err != nil {
		return nil, err
	}
	req.Header = d.Header.Clone()
	return req, nil
}

// Build makes a delivery of event for hook, signed with secret. payload, when not nil,
// is sent instead of the built-in event payload (it must be JSON).
func Build(typ, event string, hook Hook, secret string, payload json.RawMessage) (*Delivery, error) {
	names, ok := events[typ]
	if !ok {
		return nil, fmt.Errorf("hook type %q has no delivery format (supported: %s)", typ, strings.Join(Types(), ", "))
	}
	if event == "" {
		event = Push
	}
	headerName, ok := names[event]
	if !ok {
		return nil, fmt.Errorf("event %q is not one of %s for %s hooks", event, strings.Join(Events(typ), ", "), typ)
	}
	d := &Delivery{ID: uuid.New(), Type: typ, Event: event, Header: http.Header{}}
	if payload != nil {
		if !json.Valid(payload) {
			return nil, errors.New("payload is not valid JSON")
		}
		d.Body = append([]byte(nil), payload...)
	} else {
		d.Body = defaultPayload(typ, event, hook)
	}
	d.Header.Set("Content-Type", "application/json")
	switch typ {
	case GitHub:
		d.Header.Set("User-Agent", "GitHub-Hookshot/hookkit")
		d.Header.Set("X-GitHub-Event", headerName)
		d.Header.Set("X-GitHub-Delivery", d.ID)
		d.Header.Set("X-GitHub-Hook-ID", hook.ID)
		d.Header.Set(HeaderGitHubSignature, GitHubSignature(secret, d.Body))
	case GitLab:
		d.Header.Set("User-Agent", "GitLab/hookkit")
		d.Header.Set("X-Gitlab-Event", headerName)
		d.Header.Set("X-Gitlab-Event-UUID", d.ID)
		d.Header.Set(HeaderGitLabToken, secret)
	}
	return d, nil
}

// GitHubSignature is the value of X-Hub-Signature-256 for body: "sha256=" and the hex
// HMAC-SHA256 of the body keyed with the secret.
func GitHubSignature(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Verify checks a received delivery of type typ against secret, the way a receiver must:
// for github the X-Hub-Signature-256 of the exact bytes received, compared in constant
// time; for gitlab the X-Gitlab-Token, compared in constant time.
func Verify(typ string, h http.Header, body []byte, secret string) error {
	switch typ {
	case GitHub:
		got := h.Get(HeaderGitHubSignature)
		if got == "" {
			return errors.New("header " + HeaderGitHubSignature + " is missing")
		}
		if !hmac.Equal([]byte(got), []byte(GitHubSignature(secret, body))) {
			return errors.New("header " + HeaderGitHubSignature + " does not match the body")
		}
	case GitLab:
		got := h.Get(HeaderGitLabToken)
		if got == "" {
			return errors.New("header " + HeaderGitLabToken + " is missing")
		}
		if !hmac.Equal([]byte(got), []byte(secret)) {
			return errors.New("header " + HeaderGitLabToken + " is wrong")
		}
	default:
		return fmt.Errorf("hook type %q has no delivery format", typ)
	}
	return nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// repoPath is the repository's full path: namespace/project, ServiceStage's ":" in a
// project name standing for "/".
func repoPath(h Hook) (full, name string) {
	ns, proj := h.Namespace, strings.ReplaceAll(h.Project, ":", "/")
	if ns == "" {
		ns = "devcloud-team"
	}
	if proj == "" {
		proj = "app"
	}
	name = proj
	if i := strings.LastIndexByte(proj, '/'); i >= 0 {
		name = proj[i+1:]
	}
	return ns + "/" + proj, name
}

// defaultPayload is a realistic payload of the event: the fields receivers commonly read,
// with the shapes GitHub and GitLab document.
func defaultPayload(typ, event string, hook Hook) []byte {
	full, name := repoPath(hook)
	now := time.Now().UTC().Format(time.RFC3339)
	before, after := randomHex(20), randomHex(20)
	ref := "refs/heads/main"
	if event == TagPush {
		ref = "refs/tags/v1.0.0"
	}
	var v any
	switch typ {
	case GitHub:
		repo := map[string]any{
			"id": 1296269, "name": name, "full_name": full, "private": false,
			"html_url": "https://github.com/" + full, "clone_url": "https://github.com/" + full + ".git",
			"default_branch": "main",
		}
		if event == Ping {
			v = map[string]any{
				"zen":     "Keep it logically awesome.",
				"hook_id": hook.ID,
				"hook": map[string]any{
					"type": "Repository", "id": hook.ID, "name": "web", "active": true, "events": []string{"push"},
					"config": map[string]any{"content_type": "json", "insecure_ssl": "0", "url": hook.CallbackURL},
				},
				"repository": repo,
				"sender":     map[string]any{"login": "hookkit", "id": 1, "type": "User"},
			}
			break
		}
		commit := map[string]any{
			"id": after, "tree_id": randomHex(20), "distinct": true, "message": "Update README.md", "timestamp": now,
			"url":       "https://github.com/" + full + "/commit/" + after,
			"author":    map[string]any{"name": "hookkit", "email": "hookkit@example.com", "username": "hookkit"},
			"committer": map[string]any{"name": "hookkit", "email": "hookkit@example.com", "username": "hookkit"},
			"added":     []string{}, "removed": []string{}, "modified": []string{"README.md"},
		}
		v = map[string]any{
			"ref": ref, "before": before, "after": after, "created": false, "deleted": false, "forced": false,
			"base_ref": nil, "compare": "https://github.com/" + full + "/compare/" + before[:12] + "..." + after[:12],
			"commits": []any{commit}, "head_commit": commit,
			"repository": repo,
			"pusher":     map[string]any{"name": "hookkit", "email": "hookkit@example.com"},
			"sender":     map[string]any{"login": "hookkit", "id": 1, "type": "User"},
		}
	case GitLab:
		kind := "push"
		if event == TagPush {
			kind = "tag_push"
		}
		web := "https://gitlab.com/" + full
		v = map[string]any{
			"object_kind": kind, "event_name": kind, "before": before, "after": after, "ref": ref,
			"checkout_sha": after, "user_id": 4, "user_name": "hookkit", "user_username": "hookkit",
			"user_email": "hookkit@example.com", "project_id": 15,
			"project": map[string]any{
				"id": 15, "name": name, "path_with_namespace": full, "web_url": web,
				"git_http_url": web + ".git", "default_branch": "main",
			},
			"commits": []any{map[string]any{
				"id": after, "message": "Update README.md", "title": "Update README.md", "timestamp": now,
				"url":    web + "/-/commit/" + after,
				"author": map[string]any{"name": "hookkit", "email": "hookkit@example.com"},
				"added":  []string{}, "modified": []string{"README.md"}, "removed": []string{},
			}},
			"total_commits_count": 1,
			"repository":          map[string]any{"name": name, "url": web + ".git", "homepage": web, "git_http_url": web + ".git"},
		}
	}
	b, _ := json.Marshal(v)
	return b
}
