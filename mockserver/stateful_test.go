package mockserver_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/hookkit/hookkit/internal/redistest"
	"github.com/hookkit/hookkit/mockserver"
	"github.com/hookkit/hookkit/mockserver/config"
	"github.com/hookkit/hookkit/mockserver/journal"
	"github.com/hookkit/hookkit/mockserver/mocktest"
	"github.com/hookkit/hookkit/openapi"
)

// statefulMock serves doc statefully; redisURL "" keeps state in memory.
func statefulMock(t *testing.T, doc *openapi.Document, cfgYAML, redisURL string) (*mockserver.Server, string) {
	t.Helper()
	cfg := config.Default()
	if cfgYAML != "" {
		cfg = mustConfig(t, cfgYAML)
	}
	srv, err := mockserver.New(doc, mocktest.HookAPIOptions(mockserver.Options{Config: cfg, Stateful: true, StateRedis: redisURL}))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { ts.Close(); srv.Close() })
	return srv, ts.URL
}

// call sends a request with the document's credential and a JSON body, and checks the
// answer against the document, so every stateful answer is proven valid.
func call(t *testing.T, doc *openapi.Document, base, method, path, body string) reply {
	t.Helper()
	var req *http.Request
	var err error
	if body == "" {
		req, err = http.NewRequest(method, base+path, nil)
	} else {
		req, err = http.NewRequest(method, base+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
	}
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Api-Key", "k")
	req.Header.Set("Authorization", "Bearer t")
	req.Header.Set("X-Auth-Token", token)
	req.Header.Set("X-Repo-Auth", "my-github-auth")
	rep := do(t, req)
	m, err := doc.Find(method, req.URL.EscapedPath())
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	if probs := doc.ValidateResponse(context.Background(), req, m, rep.status, rep.header, rep.body); len(probs) > 0 {
		t.Fatalf("%s %s -> %d breaks the document: %v\n%s", method, path, rep.status, probs, rep.body)
	}
	return rep
}

func loadDoc(t *testing.T, path string) *openapi.Document {
	t.Helper()
	doc, err := openapi.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestStatefulCRUD drives a document's collections as a frontend would, on both stores:
// what POST creates, GET returns; PATCH and PUT change it; DELETE makes it 404.
func TestStatefulCRUD(t *testing.T) {
	t.Parallel()
	stores := map[string]string{"memory": ""}
	stores["redis"] = redistest.Start(t).URL
	for name, redisURL := range stores {
		t.Run(name, func(t *testing.T) {
			doc := loadDoc(t, "testdata/projects.yaml")
			srv, base := statefulMock(t, doc, "", redisURL)
			if err := srv.ResetContext(context.Background()); err != nil { // a shared Redis may hold an earlier run's state
				t.Fatal(err)
			}
			// Seeded from the get example.
			if got := call(t, doc, base, "GET", "/projects/prj-1", "").status; got != 200 {
				t.Fatalf("seeded project: %d", got)
			}
			created := call(t, doc, base, "POST", "/projects", `{"name":"Alpha","invite_code":"join-me-now"}`)
			if created.status != 201 {
				t.Fatalf("create: %d %s", created.status, created.body)
			}
			p := created.json(t)
			id, _ := p["id"].(string)
			if id == "" || p["name"] != "Alpha" || p["invite_code"] != nil || p["description"] != nil {
				t.Fatalf("created project: %s", created.body)
			}
			if loc := created.header.Get("Location"); loc != "/projects/"+id {
				t.Fatalf("Location %q, want /projects/%s", loc, id)
			}
			got := call(t, doc, base, "GET", "/projects/"+id, "")
			if got.status != 200 || string(got.body) != string(created.body) {
				t.Fatalf("get after create: %d %s, want %s", got.status, got.body, created.body)
			}
			list := call(t, doc, base, "GET", "/projects?per_page=1&page=2", "")
			page := list.json(t)
			items, _ := page["items"].([]any)
			if page["total"] != float64(2) || len(items) != 1 || items[0].(map[string]any)["id"] != id {
				t.Fatalf("list page 2: %s", list.body)
			}
			patched := call(t, doc, base, "PATCH", "/projects/"+id, `{"description":"first","archived":true}`).json(t)
			if patched["name"] != "Alpha" || patched["description"] != "first" || patched["archived"] != true || patched["id"] != id {
				t.Fatalf("patched: %v", patched)
			}
			if got := call(t, doc, base, "GET", "/projects/"+id, "").json(t); got["description"] != "first" {
				t.Fatalf("get after patch: %v", got)
			}

			// Nested: tasks are kept per project.
			task := call(t, doc, base, "POST", "/projects/"+id+"/tasks", `{"title":"Write tests","estimate":2}`)
			tid := fmt.Sprint(task.json(t)["task_id"])
			if task.status != 201 || tid == "" {
				t.Fatalf("create task: %d %s", task.status, task.body)
			}
			if got := call(t, doc, base, "GET", "/projects/prj-1/tasks/"+tid, ""); got.status != 404 {
				t.Fatalf("a task is visible under another project: %d", got.status)
			}
			replaced := call(t, doc, base, "PUT", "/projects/"+id+"/tasks/"+tid, `{"title":"Write more tests","done":true}`).json(t)
			if replaced["title"] != "Write more tests" || replaced["estimate"] != nil || replaced["done"] != true || fmt.Sprint(replaced["task_id"]) != tid {
				t.Fatalf("replaced task: %v", replaced)
			}
			tasks := call(t, doc, base, "GET", "/projects/"+id+"/tasks?limit=10", "")
			var arr []map[string]any
			if err := json.Unmarshal(tasks.body, &arr); err != nil || len(arr) != 1 || arr[0]["title"] != "Write more tests" {
				t.Fatalf("list tasks: %s", tasks.body)
			}

			if got := call(t, doc, base, "DELETE", "/projects/"+id, "").status; got != 204 {
				t.Fatalf("delete: %d", got)
			}
			for _, m := range []string{"GET", "DELETE"} {
				if got := call(t, doc, base, m, "/projects/"+id, ""); got.status != 404 {
					t.Fatalf("%s after delete: %d %s", m, got.status, got.body)
				}
			}
			if got := call(t, doc, base, "PATCH", "/projects/"+id, `{"name":"x"}`).status; got != 404 {
				t.Fatalf("PATCH after delete: %d", got)
			}
		})
	}
}

// TestStatefulCRUDDocument: the todo document without links infers its collection from
// path shapes alone; an unknown id gets the declared 404, and the list honours
// limit/offset.
func TestStatefulCRUDDocument(t *testing.T) {
	t.Parallel()
	doc := loadDoc(t, "testdata/crud.yaml")
	srv, base := statefulMock(t, doc, "", "")
	if cs := srv.Collections(); len(cs) != 1 || cs[0].Name != "todos" || cs[0].IDField != "id" || cs[0].IDParam != "id" {
		t.Fatalf("collections: %+v", cs)
	}
	missing := call(t, doc, base, "GET", "/todos/3f2b8c1e-5a4d-4e6f-9b7a-2c1d0e9f8a7b", "")
	if missing.status != 404 {
		t.Fatalf("unknown id: %d", missing.status)
	}
	var ids []string
	for i := range 3 {
		rep := call(t, doc, base, "POST", "/todos", fmt.Sprintf(`{"title":"t%d"}`, i))
		todo := rep.json(t)
		if todo["priority"] != float64(3) || todo["title"] != fmt.Sprintf("t%d", i) || todo["due"] != nil {
			t.Fatalf("created todo: %s", rep.body)
		}
		ids = append(ids, todo["id"].(string))
	}
	list := call(t, doc, base, "GET", "/todos?limit=1&offset=1", "")
	page := list.json(t)
	items := page["items"].([]any)
	if len(items) != 1 || items[0].(map[string]any)["id"] != ids[1] || page["total"] != float64(3) || page["next_offset"] != float64(2) {
		t.Fatalf("list: %s", list.body)
	}
	if last := call(t, doc, base, "GET", "/todos?limit=5&offset=2", "").json(t); last["next_offset"] != nil || len(last["items"].([]any)) != 1 {
		t.Fatalf("last page: %v", last)
	}
	if list.header.Get("X-Total-Count") != "3" {
		t.Fatalf("X-Total-Count %q", list.header.Get("X-Total-Count"))
	}
	// Prefer still wins over state.
	req, _ := http.NewRequest("GET", base+"/todos/"+ids[0], nil)
	req.Header.Set("Authorization", "Bearer t")
	req.Header.Set("Prefer", "code=404")
	if got := do(t, req).status; got != 404 {
		t.Fatalf("Prefer: code=404 on a stored todo: %d", got)
	}
}

// TestStatefulHooks: the hook API's hooks are kept per repository; with onDuplicate reject
// a second hook for the same url is refused, and the admin API shows the stored hooks.
func TestStatefulHooks(t *testing.T) {
	t.Parallel()
	doc, err := openapi.Default()
	if err != nil {
		t.Fatal(err)
	}
	_, base := statefulMock(t, doc, "hooks: {onDuplicate: reject}\n", "")
	first := call(t, doc, base, "POST", hookPath, validBody)
	if first.status != 200 {
		t.Fatalf("create: %d %s", first.status, first.body)
	}
	dup := call(t, doc, base, "POST", hookPath, validBody)
	if dup.status != 400 || !strings.Contains(string(dup.body), "0409") {
		t.Fatalf("duplicate: %d %s", dup.status, dup.body)
	}
	other := call(t, doc, base, "POST", strings.Replace(hookPath, "group:app", "group:other", 1), validBody)
	if other.status != 200 {
		t.Fatalf("same url on another repository: %d", other.status)
	}
	st := do(t, mustReq(t, "GET", base+"/__admin/state/hooks"))
	var view struct {
		Name  string `json:"name"`
		Count int    `json:"count"`
		Scope []string
		Items []struct {
			Scope string          `json:"scope"`
			Value json.RawMessage `json:"value"`
		} `json:"items"`
	}
	if err := json.Unmarshal(st.body, &view); err != nil || view.Count != 2 || view.Items[0].Scope != "0b5f4e1a/devcloud-team/group:app" {
		t.Fatalf("admin state: %v %s", err, st.body)
	}
	if strings.Contains(string(st.body), hookSec) {
		t.Fatal("the admin state shows the hook secret")
	}
	hooks := do(t, mustReq(t, "GET", base+"/__admin/hooks"))
	if !strings.Contains(string(hooks.body), `"project": "group:other"`) {
		t.Fatalf("admin hooks: %s", hooks.body)
	}
	// DELETE empties; reset seeds again (nothing to seed here).
	if got := do(t, mustReq(t, "DELETE", base+"/__admin/state/hooks")).status; got != 204 {
		t.Fatalf("DELETE state/hooks: %d", got)
	}
	if got := call(t, doc, base, "POST", hookPath, validBody).status; got != 200 {
		t.Fatalf("create after clearing: %d", got)
	}
	// DELETE /__admin/hooks forgets what GET /__admin/hooks shows: the store's hooks.
	if got := do(t, mustReq(t, "DELETE", base+"/__admin/hooks")).status; got != 204 {
		t.Fatalf("DELETE hooks: %d", got)
	}
	if got := do(t, mustReq(t, "GET", base+"/__admin/hooks")); !strings.Contains(string(got.body), `"hooks": []`) {
		t.Fatalf("hooks after DELETE /__admin/hooks: %s", got.body)
	}
}

// TestStatefulConcurrentCreates: concurrent creates through one mock lose nothing.
func TestStatefulConcurrentCreates(t *testing.T) {
	t.Parallel()
	doc := loadDoc(t, "testdata/crud.yaml")
	_, base := statefulMock(t, doc, "", "")
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest("POST", base+"/todos", strings.NewReader(fmt.Sprintf(`{"title":"t%d"}`, i)))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer t")
			resp, err := http.DefaultClient.Do(req)
			if err == nil {
				resp.Body.Close()
			}
		}()
	}
	wg.Wait()
	if got := call(t, doc, base, "GET", "/todos?limit=100", "").json(t)["total"]; got != float64(50) {
		t.Fatalf("total after 50 concurrent creates: %v", got)
	}
}

func mustReq(t *testing.T, method, url string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	return req
}

// TestStatefulSeed: a seed file fills the collections (scoped ones by their scope), a
// resource that breaks the document stops the start with file and line, and a reset goes
// back to the seed.
func TestStatefulSeed(t *testing.T) {
	t.Parallel()
	doc := loadDoc(t, "testdata/projects.yaml")
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("seed.yaml", "projects:\n  - {id: web, name: Web, archived: false, created_at: \"2026-01-01T00:00:00Z\", invite_code: hidden}\ntasks:\n  - scope: {projectId: web}\n    item: {task_id: 1, title: Launch, done: false}\n")
	cfg, err := config.Load(write("mock.yaml", "state:\n  enabled: true\n  seed: seed.yaml\n"))
	if err != nil {
		t.Fatal(err)
	}
	srv, err := mockserver.New(doc, mocktest.HookAPIOptions(mockserver.Options{Config: cfg}))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(func() { ts.Close(); srv.Close() })
	got := call(t, doc, ts.URL, "GET", "/projects/web", "")
	if got.status != 200 || strings.Contains(string(got.body), "hidden") {
		t.Fatalf("seeded project: %d %s", got.status, got.body)
	}
	if got := call(t, doc, ts.URL, "GET", "/projects/web/tasks/1", ""); got.status != 200 {
		t.Fatalf("seeded task: %d", got.status)
	}
	call(t, doc, ts.URL, "DELETE", "/projects/web", "")
	if got := do(t, mustReq(t, "POST", ts.URL+"/__admin/reset")).status; got != 204 {
		t.Fatalf("reset: %d", got)
	}
	if got := call(t, doc, ts.URL, "GET", "/projects/web", ""); got.status != 200 {
		t.Fatalf("after reset: %d", got.status)
	}

	write("seed.yaml", "projects:\n  - {id: web, name: Web}\n")
	cfg, err = config.Load(filepath.Join(dir, "mock.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = mockserver.New(doc, mocktest.HookAPIOptions(mockserver.Options{Config: cfg}))
	if err == nil || !strings.Contains(err.Error(), "seed.yaml:2: seed resource of projects breaks the document") {
		t.Fatalf("bad seed: %v", err)
	}
}

// TestStatefulRedisDown: when Redis goes away, stateful requests get 503 in the
// operation's error format and the mock keeps serving the rest.
func TestStatefulRedisDown(t *testing.T) {
	t.Parallel()
	redis := redistest.Start(t)
	doc := loadDoc(t, "testdata/crud.yaml")
	_, base := statefulMock(t, doc, "", redis.URL)
	if got := call(t, doc, base, "POST", "/todos", `{"title":"x"}`).status; got != 201 {
		t.Fatalf("create: %d", got)
	}
	redis.Stop()
	req, _ := http.NewRequest("POST", base+"/todos", strings.NewReader(`{"title":"y"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer t")
	got := do(t, req)
	if got.status != 503 || !strings.Contains(string(got.body), "state store unavailable") {
		t.Fatalf("with Redis gone: %d %s", got.status, got.body)
	}
	if got := do(t, mustReq(t, "GET", base+"/__admin/health")).status; got != 200 {
		t.Fatalf("health: %d", got)
	}
}

// TestStatefulPrecedenceAndOverrides: a rule answers before the store; state.resources
// renames a collection (admin API and all).
func TestStatefulPrecedenceAndOverrides(t *testing.T) {
	t.Parallel()
	doc := loadDoc(t, "testdata/crud.yaml")
	srv, base := statefulMock(t, doc, `
state:
  resources:
    - path: /todos
      name: chores
rules:
  - name: pinned
    match: {operation: getTodo, pathParams: {id: 00000000-0000-4000-8000-00000000beef}}
    respond:
      status: 200
      body: {id: 00000000-0000-4000-8000-00000000beef, title: from a rule, status: open, priority: 1, created_at: "2026-01-01T00:00:00Z"}
`, "")
	if cs := srv.Collections(); len(cs) != 1 || cs[0].Name != "chores" || cs[0].Source != "config" {
		t.Fatalf("collections: %+v", cs[0])
	}
	got := call(t, doc, base, "GET", "/todos/00000000-0000-4000-8000-00000000beef", "")
	if got.status != 200 || !strings.Contains(string(got.body), "from a rule") {
		t.Fatalf("rule before state: %d %s", got.status, got.body)
	}
	call(t, doc, base, "POST", "/todos", `{"title":"x"}`)
	st := do(t, mustReq(t, "GET", base+"/__admin/state/chores"))
	if st.status != 200 || !strings.Contains(string(st.body), `"count": 1`) {
		t.Fatalf("admin state of the renamed collection: %d %s", st.status, st.body)
	}
	if got := do(t, mustReq(t, "GET", base+"/__admin/state/todos")).status; got != 404 {
		t.Fatalf("old name: %d", got)
	}
}

// TestStatefulAnswersStayValid drives the cases where what a request sends and what the
// resource may hold differ (testdata/stateful/merge.yaml), on both stores: every answer
// is checked against the document (call), a nested writeOnly field is never returned, a
// nested required readOnly id is kept, ids follow the id's pattern, a field whose sent
// value would break the resource keeps the template's value (create) or its stored one
// (update) while the other fields are stored as sent, the journal says why, and a delete
// that declares no 404 is idempotent.
func TestStatefulAnswersStayValid(t *testing.T) {
	t.Parallel()
	stores := map[string]string{"memory": ""}
	stores["redis"] = redistest.Start(t).URL
	doc := loadDoc(t, "testdata/stateful/merge.yaml")
	for name, redisURL := range stores {
		t.Run(name, func(t *testing.T) {
			srv, base := statefulMock(t, doc, "", redisURL)
			stateProblems := func(method string) []string {
				var out []string
				for _, e := range srv.Journal().List(journal.Filter{}) {
					for _, p := range e.Problems {
						if e.Method == method && p.In == "state" {
							out = append(out, p.Message)
						}
					}
				}
				return out
			}
			created := call(t, doc, base, "POST", "/users", `{"nick":"ann","login":{"email":"ann@example.com","password":"s3cret-pass"}}`)
			if created.status != http.StatusCreated || strings.Contains(string(created.body), "s3cret-pass") {
				t.Fatalf("create: %d %s", created.status, created.body)
			}
			user := created.json(t)
			uid, _ := user["uid"].(string)
			login, _ := user["login"].(map[string]any)
			if user["nick"] != "ann" || login["email"] != "ann@example.com" || login["id"] == nil || login["password"] != nil {
				t.Fatalf("created user %s", created.body)
			}
			if got := call(t, doc, base, "GET", "/users/"+uid, ""); got.status != http.StatusOK || string(got.body) != string(created.body) {
				t.Fatalf("get %s: %d %s, want %s", uid, got.status, got.body, created.body)
			}
			if p := stateProblems("POST"); len(p) != 0 {
				t.Errorf("a valid merge journaled %v", p)
			}

			long := call(t, doc, base, "POST", "/users", `{"nick":"a-nick-too-long-for-the-resource","login":{"email":"bob@example.com"}}`)
			if long.status != http.StatusCreated || strings.Contains(string(long.body), "too-long") {
				t.Fatalf("create with a nick the resource cannot hold: %d %s", long.status, long.body)
			}
			if ll, _ := long.json(t)["login"].(map[string]any); ll["email"] != "bob@example.com" {
				t.Errorf("the valid fields of a create with one invalid field are not stored: %s", long.body)
			}
			if p := stateProblems("POST"); len(p) != 1 || !strings.Contains(p[0], "would break the document") || !strings.Contains(p[0], "nick") || !strings.Contains(p[0], "template's values for the fields") {
				t.Errorf("journal of the fallback create: %v", p)
			}

			patched := call(t, doc, base, "PATCH", "/users/"+uid, `{"login":{"email":"ann@example.org","password":"other-pass"}}`)
			pl, _ := patched.json(t)["login"].(map[string]any)
			if patched.status != http.StatusOK || pl["email"] != "ann@example.org" || pl["id"] != login["id"] || pl["password"] != nil {
				t.Fatalf("patch of login: %d %s", patched.status, patched.body)
			}
			kept := call(t, doc, base, "PATCH", "/users/"+uid, `{"nick":"a-nick-too-long-for-the-resource"}`)
			if kept.status != http.StatusOK || string(kept.body) != string(patched.body) {
				t.Fatalf("patch the resource cannot hold: %d %s, want the unchanged %s", kept.status, kept.body, patched.body)
			}
			if p := stateProblems("PATCH"); len(p) != 1 || !strings.Contains(p[0], "kept the stored values of the fields") {
				t.Errorf("journal of the refused patch: %v", p)
			}
			part := call(t, doc, base, "PATCH", "/users/"+uid, `{"nick":"a-nick-too-long-for-the-resource","login":{"email":"ann@example.net"}}`)
			if pl, _ := part.json(t)["login"].(map[string]any); part.status != http.StatusOK || pl["email"] != "ann@example.net" || strings.Contains(string(part.body), "too-long") {
				t.Fatalf("patch with one field the resource cannot hold: %d %s, want the other field changed", part.status, part.body)
			}

			for i := range 2 {
				if del := call(t, doc, base, "DELETE", "/users/"+uid, ""); del.status != http.StatusNoContent {
					t.Fatalf("delete #%d: %d %s", i+1, del.status, del.body)
				}
			}
			if got := call(t, doc, base, "GET", "/users/"+uid, ""); got.status != http.StatusNotFound {
				t.Fatalf("get after delete: %d %s", got.status, got.body)
			}
		})
	}
}
