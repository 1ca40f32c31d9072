package mockserver_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/hookkit/hookkit/internal/redistest"
	"github.com/hookkit/hookkit/mockserver"
	"github.com/hookkit/hookkit/mockserver/config"
	"github.com/hookkit/hookkit/mockserver/mocktest"
	"github.com/hookkit/hookkit/openapi"
)

// received is one webhook delivery as the receiver got it.
type received struct {
	header http.Header
	body   []byte
}

// receiver is a webhook receiver on loopback that hands every delivery to the test.
func receiver(t *testing.T) (string, <-chan received) {
	t.Helper()
	ch := make(chan received, 8)
	rc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		ch <- received{r.Header.Clone(), body}
	}))
	t.Cleanup(rc.Close)
	return rc.URL + "/receive", ch
}

// next waits for the receiver's next delivery.
func next(t *testing.T, ch <-chan received) received {
	t.Helper()
	select {
	case got := <-ch:
		return got
	case <-time.After(30 * time.Second):
		t.Fatal("no delivery arrived")
		return received{}
	}
}

// checkGitHubSignature verifies X-Hub-Signature-256 from the received bytes, computed
// here independently of the mock's signer.
func checkGitHubSignature(t *testing.T, got received, secret, event string) {
	t.Helper()
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(got.body)
	want := "sha256=" + hex.EncodeToString(mac.Sum(nil))
	if sig := got.header.Get("X-Hub-Signature-256"); !hmac.Equal([]byte(sig), []byte(want)) {
		t.Fatalf("X-Hub-Signature-256 %q does not sign the body received with the hook's secret", sig)
	}
	if e := got.header.Get("X-GitHub-Event"); e != event {
		t.Fatalf("X-GitHub-Event %q, want %q", e, event)
	}
}

// postJSON sends an admin POST with a JSON body.
func postJSON(t *testing.T, url, body string) reply {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	return do(t, req)
}

// TestStatefulDeliveries: with state on (memory store), a created hook lives in the state
// store while its secret stays in the mock's memory; hooks.deliver.onCreate and POST
// /__admin/hooks/{id}/deliveries reach a loopback receiver signed with that secret. A
// seeded hook (no secret) gets 409, an unknown or deleted one 404, and a reset forgets
// the deliveries.
func TestStatefulDeliveries(t *testing.T) {
	t.Parallel()
	doc, err := openapi.Default()
	if err != nil {
		t.Fatal(err)
	}
	url, ch := receiver(t)
	dir := t.TempDir()
	seed := "hooks:\n  - scope: {project_id: p1, namespace: team, project: app}\n    item: {id: \"7\", type: github, callback_url: \"" + url + "\"}\n"
	if err := os.WriteFile(filepath.Join(dir, "seed.yaml"), []byte(seed), 0o600); err != nil {
		t.Fatal(err)
	}
	cfgFile := filepath.Join(dir, "mock.yaml")
	if err := os.WriteFile(cfgFile, []byte("state: {enabled: true, seed: seed.yaml}\nhooks: {deliver: {onCreate: ping}}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(cfgFile)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := mockserver.New(doc, mocktest.HookAPIOptions(mockserver.Options{Config: cfg}))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { ts.Close(); srv.Close() })
	base := ts.URL

	created := call(t, doc, base, "POST", hookPath, `{"secret":"`+hookSec+`","url":"`+url+`"}`)
	if created.status != 200 {
		t.Fatalf("create: %d %s", created.status, created.body)
	}
	id, _ := created.json(t)["id"].(string)
	checkGitHubSignature(t, next(t, ch), hookSec, "ping") // onCreate

	st := do(t, mustReq(t, "GET", base+"/__admin/state/hooks"))
	if st.status != 200 || !strings.Contains(string(st.body), `"id": "`+id+`"`) {
		t.Fatalf("the hook is not in the state store: %d %s", st.status, st.body)
	}

	got := postJSON(t, base+"/__admin/hooks/"+id+"/deliveries?wait=10s", `{"event":"push"}`)
	if got.status != 200 || !strings.Contains(string(got.body), `"status": "delivered"`) {
		t.Fatalf("delivery: %d %s", got.status, got.body)
	}
	push := next(t, ch)
	checkGitHubSignature(t, push, hookSec, "push")
	if !strings.Contains(string(push.body), "devcloud-team") {
		t.Fatalf("the push payload does not name the hook's repository (from the store's scope): %s", push.body)
	}

	list := do(t, mustReq(t, "GET", base+"/__admin/deliveries"))
	var view struct {
		Deliveries []struct{ Event, Status string } `json:"deliveries"`
	}
	if err := json.Unmarshal(list.body, &view); err != nil || len(view.Deliveries) != 2 {
		t.Fatalf("deliveries: %v %s", err, list.body)
	}
	for path, text := range map[string][]byte{"deliveries": list.body, "state": st.body, "delivery": got.body} {
		if strings.Contains(string(text), hookSec) {
			t.Errorf("GET /__admin/%s shows the hook secret", path)
		}
	}

	// The seeded hook is in the store, but nobody gave this mock its secret.
	seeded := postJSON(t, base+"/__admin/hooks/7/deliveries", "")
	if seeded.status != http.StatusConflict || !strings.Contains(string(seeded.body), "does not hold its secret") {
		t.Fatalf("seeded hook: %d %s", seeded.status, seeded.body)
	}
	if got := postJSON(t, base+"/__admin/hooks/999999/deliveries", ""); got.status != 404 {
		t.Fatalf("unknown hook: %d %s", got.status, got.body)
	}

	// A reset forgets the deliveries and the created hook (the seed comes back).
	if got := do(t, mustReq(t, "POST", base+"/__admin/reset")).status; got != 204 {
		t.Fatalf("reset: %d", got)
	}
	if got := do(t, mustReq(t, "GET", base+"/__admin/deliveries")); !strings.Contains(string(got.body), `"deliveries": []`) {
		t.Fatalf("deliveries after reset: %s", got.body)
	}
	if got := postJSON(t, base+"/__admin/hooks/"+id+"/deliveries", ""); got.status != 404 {
		t.Fatalf("delivery to a hook the reset removed: %d %s", got.status, got.body)
	}
	if got := postJSON(t, base+"/__admin/hooks/7/deliveries", ""); got.status != http.StatusConflict {
		t.Fatalf("seeded hook after reset: %d %s", got.status, got.body)
	}
}

// TestStatefulDeliveriesRedis: two replicas on one Redis. The hook created on the first
// is seen by the second, which holds no secret for it and says so (409); the first
// delivers it, signed. No Redis key holds the secret.
func TestStatefulDeliveriesRedis(t *testing.T) {
	t.Parallel()
	doc, err := openapi.Default()
	if err != nil {
		t.Fatal(err)
	}
	redis := redistest.Start(t)
	url, ch := receiver(t)
	_, one := statefulMock(t, doc, "", redis.URL)
	_, two := statefulMock(t, doc, "", redis.URL)

	created := call(t, doc, one, "POST", hookPath, `{"secret":"`+hookSec+`","url":"`+url+`"}`)
	if created.status != 200 {
		t.Fatalf("create: %d %s", created.status, created.body)
	}
	id, _ := created.json(t)["id"].(string)
	if got := do(t, mustReq(t, "GET", two+"/__admin/hooks")); !strings.Contains(string(got.body), `"id": "`+id+`"`) {
		t.Fatalf("the other replica does not see the hook: %s", got.body)
	}
	other := postJSON(t, two+"/__admin/hooks/"+id+"/deliveries", "")
	if other.status != http.StatusConflict || !strings.Contains(string(other.body), "replica that created the hook") {
		t.Fatalf("delivery on the replica without the secret: %d %s", other.status, other.body)
	}
	got := postJSON(t, one+"/__admin/hooks/"+id+"/deliveries?wait=10s", "")
	if got.status != 200 || !strings.Contains(string(got.body), `"status": "delivered"`) {
		t.Fatalf("delivery: %d %s", got.status, got.body)
	}
	checkGitHubSignature(t, next(t, ch), hookSec, "push")

	rdb := goredis.NewClient(&goredis.Options{Addr: redis.Addr})
	defer rdb.Close()
	ctx := context.Background()
	keys, err := rdb.Keys(ctx, "*").Result()
	if err != nil || len(keys) == 0 {
		t.Fatalf("redis keys: %v %v", keys, err)
	}
	for _, k := range keys {
		var values []string
		switch typ := rdb.Type(ctx, k).Val(); typ {
		case "string":
			values = []string{rdb.Get(ctx, k).Val()}
		case "hash":
			for f, v := range rdb.HGetAll(ctx, k).Val() {
				values = append(values, f, v)
			}
		case "set":
			values = rdb.SMembers(ctx, k).Val()
		case "zset":
			values = rdb.ZRange(ctx, k, 0, -1).Val()
		default:
			t.Fatalf("key %s of unexpected type %s", k, typ)
		}
		for _, v := range values {
			if strings.Contains(v, hookSec) {
				t.Fatalf("redis key %s holds the hook secret", k)
			}
		}
	}
}
