package webhook_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"

	"github.com/hookkit/hookkit/webhook"
)

func TestBuild(t *testing.T) {
	hook := webhook.Hook{ID: "1001", CallbackURL: "http://127.0.0.1:9/h", Namespace: "team", Project: "group:app"}
	tests := []struct {
		typ, event       string
		eventHeader, val string
		field            string // a top-level field the payload has
	}{
		{"github", "push", "X-GitHub-Event", "push", "head_commit"},
		{"github", "ping", "X-GitHub-Event", "ping", "zen"},
		{"gitlab", "push", "X-Gitlab-Event", "Push Hook", "checkout_sha"},
		{"gitlab", "ping", "X-Gitlab-Event", "Push Hook", "checkout_sha"},
		{"gitlab", "tag_push", "X-Gitlab-Event", "Tag Push Hook", "checkout_sha"},
	}
	for _, tt := range tests {
		t.Run(tt.typ+"/"+tt.event, func(t *testing.T) {
			d, err := webhook.Build(tt.typ, tt.event, hook, "s3cret", nil)
			if err != nil {
				t.Fatal(err)
			}
			if got := d.Header.Get(tt.eventHeader); got != tt.val {
				t.Errorf("%s = %q, want %q", tt.eventHeader, got, tt.val)
			}
			var body map[string]any
			if err := json.Unmarshal(d.Body, &body); err != nil {
				t.Fatal(err)
			}
			if _, ok := body[tt.field]; !ok {
				t.Errorf("payload has no %s: %s", tt.field, d.Body)
			}
			if strings.Contains(string(d.Body), "s3cret") {
				t.Error("payload contains the secret")
			}
			if err := webhook.Verify(tt.typ, d.Header, d.Body, "s3cret"); err != nil {
				t.Errorf("Verify: %v", err)
			}
			if err := webhook.Verify(tt.typ, d.Header, d.Body, "other"); err == nil {
				t.Error("Verify accepted another secret")
			}
		})
	}
}

// TestGitHubSignature checks the signature against an independent HMAC of the body.
func TestGitHubSignature(t *testing.T) {
	d, err := webhook.Build("github", "push", webhook.Hook{ID: "1"}, "k", json.RawMessage(`{"a":1}`))
	if err != nil {
		t.Fatal(err)
	}
	m := hmac.New(sha256.New, []byte("k"))
	m.Write([]byte(`{"a":1}`))
	if want := "sha256=" + hex.EncodeToString(m.Sum(nil)); d.Header.Get("X-Hub-Signature-256") != want {
		t.Errorf("signature %q, want %q", d.Header.Get("X-Hub-Signature-256"), want)
	}
	if err := webhook.Verify("github", d.Header, []byte(`{"a":2}`), "k"); err == nil {
		t.Error("Verify accepted a changed body")
	}
}

func TestBuildErrors(t *testing.T) {
	for _, tt := range []struct{ typ, event, payload, want string }{
		{"bitbucket", "push", "", "no delivery format"},
		{"github", "merge", "", "not one of ping, push"},
		{"github", "push", "{", "not valid JSON"},
	} {
		var p json.RawMessage
		if tt.payload != "" {
			p = json.RawMessage(tt.payload)
		}
		_, err := webhook.Build(tt.typ, tt.event, webhook.Hook{}, "s", p)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s/%s: err = %v, want %q", tt.typ, tt.event, err, tt.want)
		}
	}
}
